import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { commitEvents } from './fixtures';
import type { BenchEnvironment } from './environment';
import { runLoad, type LoadResult, type LoadSpec } from './load';
import { loadAverage, machineCpuSeconds, postgresCpuSecondsBetween, postgresSnapshot, reapedChildrenCpuSeconds, sampleProcess, type BenchProcess } from './processes';
import { percentile } from './stats';

export type Side = 'baseline' | 'api';

/** One side of an HTTP workload: which process serves it and how the load generator calls it. */
export interface Target {
  label: string;
  server: (env: BenchEnvironment) => BenchProcess;
  spec: (env: BenchEnvironment) => Omit<LoadSpec, 'connections' | 'seconds'>;
}

export interface HttpWorkload {
  key: string;
  title: string;
  goal: string;
  baseline: Target;
  api: Target;
}

const withKey = (env: BenchEnvironment) => ({ authorization: `Bearer ${env.tenant.apiKey}` });
const json = { 'content-type': 'application/json' };

/** The HTTP rows of issue 16's table; the API and the baseline answer the same request. */
export const HTTP_WORKLOADS: HttpWorkload[] = [
  {
    key: 'products-page1',
    title: 'GET /products page 1 (count + page + variants)',
    goal: '≥ 0.75×',
    baseline: { label: 'plain', server: (e) => e.baseline, spec: (e) => ({ url: e.url(e.baseline, '/products?page=1') }) },
    api: { label: 'API', server: (e) => e.api, spec: (e) => ({ url: e.url(e.api, '/api/v1/products?page=1'), headers: withKey(e) }) },
  },
  {
    key: 'products-cursor',
    title: 'GET /products cursor 9,000 rows deep',
    goal: '≥ 0.80×',
    baseline: { label: 'plain', server: (e) => e.baseline, spec: (e) => ({ url: e.url(e.baseline, `/products?after=${e.cursors.baselineAfter}`) }) },
    api: { label: 'API', server: (e) => e.api, spec: (e) => ({ url: e.url(e.api, `/api/v1/products?cursor=${e.cursors.apiCursor}`), headers: withKey(e) }) },
  },
  {
    key: 'orders',
    title: 'POST /orders (one line, stock reserved)',
    goal: '≥ 0.70×',
    baseline: { label: 'plain', server: (e) => e.baseline, spec: (e) => ({ url: e.url(e.baseline, '/orders'), method: 'POST', body: e.order.body, headers: json }) },
    api: { label: 'API', server: (e) => e.api, spec: (e) => ({ url: e.url(e.api, '/api/v1/orders'), method: 'POST', body: e.order.body, headers: { ...json, ...withKey(e) } }) },
  },
  {
    key: 'api-key',
    title: 'GET with an API key vs the same public route (both the API)',
    goal: '≥ 0.85×',
    baseline: { label: 'API, public route', server: (e) => e.api, spec: (e) => ({ url: e.url(e.api, '/api/v1/bench/public') }) },
    api: { label: 'API, API key', server: (e) => e.api, spec: (e) => ({ url: e.url(e.api, '/api/v1/bench/private'), headers: withKey(e) }) },
  },
];

/** CPU use during a run, in % of one core, and memory after it. */
export interface Usage {
  cpuPercent: Record<'api' | 'worker' | 'baseline' | 'postgres' | 'loadGenerator' | 'machine', number>;
  rssMb: Record<'api' | 'worker' | 'baseline', number>;
  loadAverage: string;
}

export interface RunResult extends LoadResult {
  side: Side;
  round: number;
  usage: Usage;
}

/** Runs `work` and measures every process's CPU around it. */
export async function measured<T>(env: BenchEnvironment, work: () => Promise<T>): Promise<{ result: T; usage: Usage; seconds: number }> {
  const procs = { api: env.api, worker: env.worker, baseline: env.baseline } as const;
  const before = Object.fromEntries(Object.entries(procs).map(([k, p]) => [k, sampleProcess(p.pid)]));
  const pg = postgresSnapshot();
  const machine = machineCpuSeconds();
  const reaped = reapedChildrenCpuSeconds();
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const after = Object.fromEntries(Object.entries(procs).map(([k, p]) => [k, sampleProcess(p.pid)]));
  const pct = (cpu: number) => (100 * cpu) / seconds;
  const machineAfter = machineCpuSeconds();
  const usage: Usage = {
    cpuPercent: {
      api: pct(after.api.cpuSeconds - before.api.cpuSeconds),
      worker: pct(after.worker.cpuSeconds - before.worker.cpuSeconds),
      baseline: pct(after.baseline.cpuSeconds - before.baseline.cpuSeconds),
      postgres: pct(postgresCpuSecondsBetween(pg, postgresSnapshot())),
      loadGenerator: pct(reapedChildrenCpuSeconds() - reaped),
      machine: pct(machineAfter.busy - machine.busy),
    },
    rssMb: { api: after.api.rssMb, worker: after.worker.rssMb, baseline: after.baseline.rssMb },
    loadAverage: loadAverage(),
  };
  return { result, usage, seconds };
}

/**
 * Waits (up to maxMs) until the API, worker and baseline are each below 10% of a core over 250 ms:
 * requests queued when the load generator stopped, and the worker's relay of the events just made,
 * finish before the next run starts instead of being counted against it.
 */
export async function settle(env: BenchEnvironment, maxMs = 20_000): Promise<void> {
  const procs = [env.api, env.worker, env.baseline];
  const deadline = Date.now() + maxMs;
  let previous = procs.map((p) => sampleProcess(p.pid).cpuSeconds);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const now = procs.map((p) => sampleProcess(p.pid).cpuSeconds);
    const busy = now.some((cpu, i) => cpu - previous[i] > 0.025);
    previous = now;
    if (!busy) return;
  }
}

export interface RoundOptions {
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
}

/** Warm-up of both sides, then `rounds` interleaved runs: baseline, API, baseline, API, … */
export async function runHttpWorkload(env: BenchEnvironment, w: HttpWorkload, o: RoundOptions): Promise<RunResult[]> {
  const spec = (side: Side, seconds: number): LoadSpec => ({ ...w[side].spec(env), connections: o.connections, seconds });
  for (const side of ['baseline', 'api'] as const) if (o.warmupSeconds > 0) await runLoad(spec(side, o.warmupSeconds));
  const runs: RunResult[] = [];
  for (let round = 1; round <= o.rounds; round += 1) {
    for (const side of ['baseline', 'api'] as const) {
      await settle(env);
      const { result, usage } = await measured(env, () => runLoad(spec(side, o.seconds)));
      runs.push({ ...result, side, round, usage });
      console.error(`  ${w.key} round ${round} ${side}: ${Math.round(result.requestsPerSecond)} req/s, p99 ${Math.round(result.p99Ms)} ms, non-2xx ${result.non2xx}, errors ${result.errors}`);
    }
  }
  return runs;
}

export interface BurstResult {
  perSecond: number;
  /** Commit → first delivery: the relay's and the queue's share before the worker's rate shows. */
  firstMs: number;
  p50Ms: number;
  p99Ms: number;
}

export interface WebhookRound {
  round: number;
  plainPerSecond: number;
  /** Every event of the burst for one tenant: bound by WEBHOOK_MAX_IN_FLIGHT_PER_TENANT. */
  oneTenant: BurstResult;
  /** The burst dealt over env.webhookTenantIds. */
  spread: BurstResult;
  usage: Usage;
}

const BUILD = resolve(__dirname, '..', '..', 'dist', 'bench-build');

async function plainPosts(env: BenchEnvironment, posts: number): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(BUILD, 'bench', 'processes', 'plain-poster.js')], {
    env: { ...process.env, BENCH_TARGET: env.url(env.receiver, '/plain'), BENCH_POSTS: String(posts), BENCH_IN_FLIGHT: process.env.BENCH_WEBHOOK_IN_FLIGHT ?? '20' },
  });
  return JSON.parse(stdout).perSecond;
}

/**
 * Commits `events` customer.created events in one transaction, dealt over `tenantIds` (default: the
 * bench tenant alone), and waits until the receiver has them all.
 */
export async function burst(env: BenchEnvironment, events: number, tag: string, tenantIds = [env.tenant.tenantId]): Promise<BurstResult> {
  await fetch(env.url(env.receiver, '/stats'), { method: 'DELETE' });
  const committedAt = await commitEvents(env.owner, tenantIds, events, tag);
  const deadline = Date.now() + 180_000;
  for (;;) {
    const stats = (await (await fetch(env.url(env.receiver, '/stats'))).json()) as { deliveries: number };
    if (stats.deliveries >= events) break;
    if (Date.now() > deadline) throw new Error(`only ${stats.deliveries} of ${events} deliveries within 180 s; see ${env.worker.logFile}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const { arrivals } = (await (await fetch(env.url(env.receiver, '/stats?arrivals=1'))).json()) as { arrivals: number[] };
  const latencies = arrivals.map((a) => a - committedAt).sort((a, b) => a - b);
  return { perSecond: events / (latencies[latencies.length - 1] / 1000), firstMs: latencies[0], p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

/**
 * Rounds of: plain POSTs to the receiver (baseline), then a burst of `events` through the outbox,
 * relay, queue and one worker for one tenant, then the same burst dealt over several tenants (the
 * per-tenant in-flight cap bounds the first; the second is what a worker shared by tenants does).
 */
export async function runWebhookWorkload(env: BenchEnvironment, rounds: number, events: number): Promise<WebhookRound[]> {
  await settle(env, 120_000); // the relay of earlier workloads' events (orders) finishes first
  await plainPosts(env, 200);
  await burst(env, 100, 'warmup');
  await burst(env, 100, 'warmup-spread', env.webhookTenantIds);
  const results: WebhookRound[] = [];
  const line = (r: BurstResult) => `${Math.round(r.perSecond)}/s, commit→delivery first ${Math.round(r.firstMs)} ms, p99 ${Math.round(r.p99Ms)} ms`;
  for (let round = 1; round <= rounds; round += 1) {
    await settle(env);
    const plainPerSecond = await plainPosts(env, events);
    await settle(env);
    const { result: oneTenant, usage } = await measured(env, () => burst(env, events, `r${round}`));
    await settle(env);
    const spread = await burst(env, events, `r${round}-spread`, env.webhookTenantIds);
    results.push({ round, plainPerSecond, oneTenant, spread, usage });
    console.error(
      `  webhooks round ${round}: plain ${Math.round(plainPerSecond)}/s, one tenant ${line(oneTenant)}, ` +
        `${env.webhookTenantIds.length} tenants ${line(spread)}`,
    );
  }
  return results;
}
