import { percentile } from '../harness/stats';

/**
 * The webhook baseline of `npm run bench`: a plain Node process POSTing `BENCH_POSTS` small JSON
 * bodies to `BENCH_TARGET` with fetch, `BENCH_IN_FLIGHT` at a time (no database, no signing, no
 * queue), the floor a delivery worker on this machine and receiver could reach. Prints one JSON line.
 */
async function main(): Promise<void> {
  const target = process.env.BENCH_TARGET!;
  const total = Number(process.env.BENCH_POSTS ?? 1000);
  const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 20);
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < total) {
      next += 1;
      const sent = performance.now();
      const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"customer.created"}' });
      await res.arrayBuffer();
      latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  process.stdout.write(`${JSON.stringify({ posts: total, perSecond: total / seconds, seconds, p99Ms: percentile(latencies, 99) })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
