import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildProcesses, startEnvironment } from './harness/environment';
import { loadGenerator } from './harness/load';
import { renderProfiles, runProfilePass, type ProfileWindow } from './harness/profile';
import { loadAverage, sampleProcess } from './harness/processes';
import { renderReport, type RunReport } from './harness/report';
import { HTTP_WORKLOADS, runHttpWorkload, runWebhookWorkload } from './harness/workloads';

/**
 * `npm run bench [-- [profile] [workload…]]` (issue 16): the API, the worker, the plain node:http + pg
 * baseline and the webhook receiver as separate processes, driven by wrk (autocannon in a child
 * process without it) in interleaved rounds; `profile` instead runs each workload once under
 * --cpu-prof with the query counters on and summarises where the time went. Method: bench/README.md.
 * Workloads: products-page1, products-cursor, orders, api-key, webhooks (default: all).
 */
const ROOT = resolve(__dirname, '..');
const KNOWN = [...HTTP_WORKLOADS.map((w) => w.key), 'webhooks'];

function setting(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number`);
  return value;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const profile = args[0] === 'profile';
  const names = profile ? args.slice(1) : args;
  for (const n of names) if (!KNOWN.includes(n)) throw new Error(`unknown workload ${n}; known: ${KNOWN.join(', ')}`);
  const wanted = (key: string) => names.length === 0 || names.includes(key);
  const http = HTTP_WORKLOADS.filter((w) => wanted(w.key));
  const options = {
    rounds: setting('BENCH_ROUNDS', 3),
    seconds: setting('BENCH_SECONDS', 10),
    warmupSeconds: setting('BENCH_WARMUP_SECONDS', 3),
    connections: setting('BENCH_CONNECTIONS', 50),
    webhookEvents: wanted('webhooks') ? setting('BENCH_WEBHOOK_EVENTS', 1000) : 0,
    webhookTenants: setting('BENCH_WEBHOOK_TENANTS', 10),
  };
  const startedAt = new Date().toISOString();
  const outDir = join(ROOT, 'dist', 'bench-out', `${startedAt.replace(/[:.]/g, '-')}${profile ? '-profile' : ''}`);
  buildProcesses();
  const before = loadAverage();
  console.error(`setting up (fresh database, 100,000 products); output in ${outDir}`);
  const env = await startEnvironment({ outDir, profile, webhookTenants: options.webhookEvents > 0 ? options.webhookTenants : 1 });
  const coldStartMs = { API: env.api.coldStartMs, worker: env.worker.coldStartMs, baseline: env.baseline.coldStartMs };
  let windows: ProfileWindow[] = [];
  const report: RunReport = { startedAt, loadGenerator, options, loadAverage: { before, after: '' }, coldStartMs, http: [] };
  try {
    if (profile) {
      windows = await runProfilePass(env, http, options.webhookEvents, options.seconds, options.connections);
    } else {
      for (const workload of http) {
        console.error(`${workload.key}:`);
        report.http.push({ workload, runs: await runHttpWorkload(env, workload, options) });
        if (workload.key.startsWith('products')) {
          const api = sampleProcess(env.api.pid);
          report.apiRssAfterListMb = { rss: api.rssMb, peak: api.peakRssMb };
        }
      }
      if (options.webhookEvents > 0) {
        console.error('webhooks:');
        report.webhooks = await runWebhookWorkload(env, options.rounds, options.webhookEvents);
      }
    }
  } finally {
    await env.stop();
  }
  report.loadAverage.after = loadAverage();
  let text: string;
  if (profile) {
    text = [
      `Profile run ${startedAt}: each workload once for ${options.seconds} s at ${options.connections} connections (${loadGenerator}), API and worker under --cpu-prof.`,
      `Load average before: ${before}; after: ${report.loadAverage.after} (2 cores). Cold start under --cpu-prof: ${Object.entries(coldStartMs).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(', ')}.`,
      '',
      renderProfiles(outDir, windows, env.api.readyAtUs),
    ].join('\n');
  } else {
    text = renderReport(report);
    writeFileSync(join(outDir, 'results.json'), JSON.stringify(report, null, 2));
  }
  writeFileSync(join(outDir, profile ? 'profile.md' : 'results.md'), `${text}\n`);
  console.log(text);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
