import type { BurstResult, HttpWorkload, RunResult, Usage, WebhookRound } from './workloads';
import { median, medianRange, round } from './stats';

export interface RunReport {
  startedAt: string;
  loadGenerator: string;
  options: { rounds: number; seconds: number; connections: number; webhookEvents: number; webhookTenants: number };
  loadAverage: { before: string; after: string };
  coldStartMs: Record<string, number>;
  http: { workload: HttpWorkload; runs: RunResult[] }[];
  apiRssAfterListMb?: { rss: number; peak: number };
  webhooks?: WebhookRound[];
}

function sideSummary(runs: RunResult[]): string {
  return `${medianRange(runs.map((r) => r.requestsPerSecond))} req/s, p99 ${medianRange(runs.map((r) => r.p99Ms))} ms`;
}

/** The API/baseline ratio of each round (paired: the two ran back to back), as median (min–max). */
function pairedRatio(runs: RunResult[]): string {
  const ratios = runs
    .filter((r) => r.side === 'api')
    .map((api) => api.requestsPerSecond / (runs.find((b) => b.side === 'baseline' && b.round === api.round)?.requestsPerSecond ?? NaN));
  return `${medianRange(ratios, 2, '×')}`;
}

const CPU_COLUMNS: (keyof Usage['cpuPercent'])[] = ['api', 'worker', 'baseline', 'postgres', 'loadGenerator', 'machine'];

/** The results as Markdown: issue 16's table, then CPU and memory per run, then the raw rounds. */
export function renderReport(r: RunReport): string {
  const out: string[] = [];
  out.push(`Run ${r.startedAt}: ${r.options.rounds} interleaved rounds × ${r.options.seconds} s, ${r.options.connections} connections, load generator ${r.loadGenerator} (own process).`);
  out.push(`Load average (1/5/15 min) before: ${r.loadAverage.before}; after: ${r.loadAverage.after}. The machine has 2 cores.`);
  out.push('');
  out.push('| workload | plain | API | ratio (paired, median and range) | goal |');
  out.push('|---|---|---|---|---|');
  for (const { workload, runs } of r.http) {
    const base = runs.filter((x) => x.side === 'baseline');
    const api = runs.filter((x) => x.side === 'api');
    const failed = runs.reduce((s, x) => s + x.non2xx + x.errors, 0);
    out.push(`| ${workload.title} | ${workload.baseline.label}: ${sideSummary(base)} | ${workload.api.label}: ${sideSummary(api)}${failed ? ` (${failed} non-2xx/errors)` : ''} | ${pairedRatio(runs)} | ${workload.goal} |`);
  }
  if (r.webhooks?.length) {
    const w = r.webhooks;
    const burstRow = (title: string, pick: (x: WebhookRound) => BurstResult) =>
      out.push(
        `| webhook deliveries, one worker; ${r.options.webhookEvents}-event burst, ${title} | plain POSTs ${medianRange(w.map((x) => x.plainPerSecond))}/s | ` +
          `${medianRange(w.map((x) => pick(x).perSecond))}/s; commit→delivery p99 ${medianRange(w.map((x) => pick(x).p99Ms))} ms (p50 ${medianRange(w.map((x) => pick(x).p50Ms))} ms) | ` +
          `${medianRange(w.map((x) => pick(x).perSecond / x.plainPerSecond), 2, '×')} | ≥ 2,000/s; p99 ≤ 1 s |`,
      );
    burstRow('one tenant', (x) => x.oneTenant);
    burstRow(`over ${r.options.webhookTenants} tenants`, (x) => x.spread);
  }
  if (r.apiRssAfterListMb) out.push(`| API resident memory after the list runs | | ${round(r.apiRssAfterListMb.rss)} MB (peak so far ${round(r.apiRssAfterListMb.peak)} MB) | | ≤ 200 MB |`);
  out.push('');
  out.push(`Cold start (spawn → first 200 from the readiness URL): ${Object.entries(r.coldStartMs).map(([k, v]) => `${k} ${round(v)} ms`).join(', ')}.`);
  out.push('');
  out.push('CPU during the measured runs, % of one core (median of the rounds; 200% = both cores), and resident memory after them:');
  out.push('');
  out.push(`| workload | side | ${CPU_COLUMNS.join(' | ')} | RSS MB API / worker / baseline |`);
  out.push(`|---|---|${CPU_COLUMNS.map(() => '---').join('|')}|---|`);
  const usageRow = (title: string, side: string, usages: Usage[]) => {
    const cpu = CPU_COLUMNS.map((c) => round(median(usages.map((u) => u.cpuPercent[c]))));
    const rss = (['api', 'worker', 'baseline'] as const).map((p) => round(median(usages.map((u) => u.rssMb[p]))));
    out.push(`| ${title} | ${side} | ${cpu.join(' | ')} | ${rss.join(' / ')} |`);
  };
  for (const { workload, runs } of r.http) {
    for (const side of ['baseline', 'api'] as const) usageRow(workload.key, workload[side].label, runs.filter((x) => x.side === side).map((x) => x.usage));
  }
  if (r.webhooks?.length) usageRow('webhooks', 'burst', r.webhooks.map((x) => x.usage));
  out.push('');
  out.push('Every run (req/s, p50 / p99 ms, non-2xx, socket errors, load average after):');
  out.push('');
  out.push('| workload | round | side | req/s | p50 ms | p99 ms | non-2xx | errors | load avg |');
  out.push('|---|---|---|---|---|---|---|---|---|');
  for (const { workload, runs } of r.http) {
    for (const x of runs) {
      out.push(`| ${workload.key} | ${x.round} | ${workload[x.side].label} | ${round(x.requestsPerSecond)} | ${round(x.p50Ms, 1)} | ${round(x.p99Ms, 1)} | ${x.non2xx} | ${x.errors} | ${x.usage.loadAverage} |`);
    }
  }
  for (const x of r.webhooks ?? []) {
    out.push(`| webhooks | ${x.round} | plain POSTs / one tenant | ${round(x.plainPerSecond)} / ${round(x.oneTenant.perSecond)} | ${round(x.oneTenant.p50Ms)} | ${round(x.oneTenant.p99Ms)} | | | ${x.usage.loadAverage} |`);
    out.push(`| webhooks | ${x.round} | ${r.options.webhookTenants} tenants | ${round(x.spread.perSecond)} | ${round(x.spread.p50Ms)} | ${round(x.spread.p99Ms)} | | | |`);
  }
  return out.join('\n');
}
