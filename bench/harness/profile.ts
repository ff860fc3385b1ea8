import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { renderSummary, summariseProfile } from '../profile-summary';
import type { BenchEnvironment } from './environment';
import { runLoad } from './load';
import { burst, settle, type HttpWorkload, type Side } from './workloads';

interface Counts {
  pgRoundTrips: number;
  pgStatements: number;
  pgByShape: Record<string, number>;
  redisRoundTrips: number;
  redisCommands: Record<string, number>;
}

export interface ProfileWindow {
  key: string;
  title: string;
  process: 'api' | 'worker';
  fromUs: number;
  toUs: number;
  /** what one unit of work is ("request", "delivery") and the counts per unit */
  unit: string;
  perUnit: Counts;
  idlePerSecond: Counts;
  /** throughput during the profiled window (requests or deliveries per second) */
  requestsPerSecond: number;
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

async function counts(port: number, reset: boolean): Promise<Counts> {
  return (await fetch(`http://127.0.0.1:${port}/${reset ? '?reset=1' : ''}`)).json() as Promise<Counts>;
}

function divide(c: Counts, n: number): Counts {
  const each = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v / n]));
  return { pgRoundTrips: c.pgRoundTrips / n, pgStatements: c.pgStatements / n, pgByShape: each(c.pgByShape), redisRoundTrips: c.redisRoundTrips / n, redisCommands: each(c.redisCommands) };
}

/** Counts of `port`'s process over `work`, per unit, and over one idle second before it (background work). */
async function counted(port: number, units: number, work: () => Promise<void>): Promise<{ perUnit: Counts; idlePerSecond: Counts }> {
  await counts(port, true);
  await new Promise((r) => setTimeout(r, 1000));
  const idlePerSecond = await counts(port, true);
  await work();
  return { perUnit: divide(await counts(port, true), units), idlePerSecond };
}

/**
 * The profile pass: each workload once against the API (the worker for webhooks), whose --cpu-prof
 * profile is later cut to the run's window; then SEQUENTIAL requests one at a time with the query
 * counters reset around them, for exact round trips per request.
 */
export async function runProfilePass(env: BenchEnvironment, workloads: HttpWorkload[], webhookEvents: number, seconds: number, connections: number): Promise<ProfileWindow[]> {
  const windows: ProfileWindow[] = [];
  const sequential = Number(process.env.BENCH_COUNT_REQUESTS ?? 200);
  for (const w of workloads) {
    // The API's side always; the baseline's too where it is the API itself (the public route).
    const sides: Side[] = w.baseline.server(env) === env.api ? ['baseline', 'api'] : ['api'];
    for (const side of sides) {
      const spec = w[side].spec(env);
      await runLoad({ ...spec, connections, seconds: 3 });
      await settle(env);
      const fromUs = nowUs();
      const load = await runLoad({ ...spec, connections, seconds });
      const toUs = nowUs();
      console.error(`  profile ${w.key} (${w[side].label}): ${Math.round(load.requestsPerSecond)} req/s, non-2xx ${load.non2xx}`);
      await settle(env);
      const { perUnit, idlePerSecond } = await counted(env.counters!.api, sequential, async () => {
        for (let i = 0; i < sequential; i += 1) {
          const res = await fetch(spec.url, { method: spec.method ?? 'GET', headers: spec.headers, body: spec.body });
          await res.arrayBuffer();
          if (res.status >= 300) throw new Error(`${w.key}: ${spec.method ?? 'GET'} ${spec.url} answered ${res.status}`);
        }
      });
      const title = sides.length > 1 ? `${w.title}: ${w[side].label}` : w.title;
      windows.push({ key: w.key, title, process: 'api', fromUs, toUs, unit: 'request', perUnit, idlePerSecond, requestsPerSecond: load.requestsPerSecond });
    }
  }
  if (webhookEvents > 0) {
    await burst(env, 100, 'profile-warmup');
    await settle(env);
    let fromUs = 0;
    let toUs = 0;
    let rate = 0;
    const { perUnit, idlePerSecond } = await counted(env.counters!.worker, webhookEvents, async () => {
      fromUs = nowUs();
      const result = await burst(env, webhookEvents, 'profile');
      toUs = nowUs();
      rate = result.perSecond;
      console.error(`  profile webhooks: ${Math.round(result.perSecond)} deliveries/s, p99 ${Math.round(result.p99Ms)} ms`);
    });
    windows.push({ key: 'webhooks', title: `webhook deliveries, ${webhookEvents}-event burst (worker)`, process: 'worker', fromUs, toUs, unit: 'delivery', perUnit, idlePerSecond, requestsPerSecond: rate });
  }
  return windows;
}

function profileFile(outDir: string, name: 'api' | 'worker'): string {
  const dir = join(outDir, 'profiles', name);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir} (the process did not exit cleanly?)`);
  return join(dir, file);
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

function renderCounts(c: Counts, unit: string, idle: Counts): string {
  const lines = [
    `Per ${unit}: **${fmt(c.pgRoundTrips)} PostgreSQL round trips** (${fmt(c.pgStatements)} statements), **${fmt(c.redisRoundTrips)} Redis round trips** (${Object.entries(c.redisCommands).map(([k, v]) => `${k} ${fmt(v)}`).join(', ') || 'none'}).`,
  ];
  if (idle.pgRoundTrips || idle.redisRoundTrips) lines.push(`Background while idle, per second: ${idle.pgRoundTrips} PostgreSQL and ${idle.redisRoundTrips} Redis round trips (not subtracted).`);
  lines.push('', `| statement (literals folded) | per ${unit} |`, '|---|---|');
  for (const [shape, n] of Object.entries(c.pgByShape).sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    lines.push(`| \`${shape.replace(/\|/g, '\\|').slice(0, 200)}\` | ${fmt(n)} |`);
  }
  return lines.join('\n');
}

/** After the processes exited (profiles are written at exit): one section per workload, then the API's start-up. */
export function renderProfiles(outDir: string, windows: ProfileWindow[], apiReadyAtUs: number): string {
  const out: string[] = [];
  for (const w of windows) {
    const file = profileFile(outDir, w.process);
    out.push(`### ${w.title}`, '', `Profile: ${w.process} process, ${((w.toUs - w.fromUs) / 1e6).toFixed(1)} s window at ${Math.round(w.requestsPerSecond)} ${w.unit === 'delivery' ? 'deliveries' : 'requests'}/s, of ${file.slice(outDir.length + 1)}.`, '');
    out.push(renderCounts(w.perUnit, w.unit, w.idlePerSecond), '');
    out.push(renderSummary(summariseProfile(file, w.fromUs, w.toUs, 15)), '');
  }
  out.push('### API start-up (spawn → /health/ready)', '', renderSummary(summariseProfile(profileFile(outDir, 'api'), -Infinity, apiReadyAtUs, 10), 10), '');
  return out.join('\n');
}
