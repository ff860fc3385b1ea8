import 'reflect-metadata';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildProcesses, startEnvironment, type BenchEnvironment } from './harness/environment';
import { runLoad } from './harness/load';
import { freePort, loadAverage, type BenchProcess } from './harness/processes';
import { HTTP_WORKLOADS, settle } from './harness/workloads';
import { renderHeapSummary, summarizeHeapSnapshot } from './heap-summary';

/**
 * `node -r ts-node/register/transpile-only bench/memory.ts` (issue 16): where the API's and the
 * worker's memory goes. The harness's processes (production settings) start with their V8 inspector
 * on a private port; at idle after boot and again after the list workloads (warm-up + BENCH_SECONDS
 * of each at BENCH_CONNECTIONS) it reads, per process, /proc (RSS, anonymous vs file-backed),
 * process.memoryUsage() and V8's heap spaces, before and after a full GC; at the end it writes a
 * heap snapshot of each and summarises what retains the most. Output: dist/bench-out/<time>-memory/.
 */
const ROOT = resolve(__dirname, '..');
const MB = 1024 * 1024;

interface Cdp {
  send<T>(method: string, params?: object): Promise<T>;
  onChunk(fn: (chunk: string) => void): void;
  close(): void;
}

async function connect(port: number): Promise<Cdp> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise((ok, fail) => {
    ws.onopen = ok;
    ws.onerror = fail;
  });
  let next = 1;
  const pending = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  let chunkListener: ((chunk: string) => void) | undefined;
  ws.onmessage = (event: { data: string }) => {
    const message = JSON.parse(event.data) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: { chunk: string } };
    if (message.method === 'HeapProfiler.addHeapSnapshotChunk') chunkListener?.(message.params!.chunk);
    if (message.id === undefined) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiter?.fail(new Error(message.error.message));
    else waiter?.ok(message.result);
  };
  return {
    send: <T>(method: string, params: object = {}) =>
      new Promise<T>((ok, fail) => {
        const id = next++;
        pending.set(id, { ok: ok as (v: unknown) => void, fail });
        ws.send(JSON.stringify({ id, method, params }));
      }),
    onChunk: (fn) => (chunkListener = fn),
    close: () => ws.close(),
  };
}

interface MemorySample {
  rssMb: number;
  rssAnonMb: number;
  rssFileMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  /** committed size of each V8 heap space, MB (new_space is the young generation's semi-spaces) */
  spaces: Record<string, number>;
}

const EXPRESSION = `JSON.stringify({ usage: process.memoryUsage(), spaces: process.getBuiltinModule('node:v8').getHeapSpaceStatistics() })`;

async function sample(cdp: Cdp, pid: number): Promise<MemorySample> {
  const { result } = await cdp.send<{ result: { value: string } }>('Runtime.evaluate', { expression: EXPRESSION, returnByValue: true });
  const { usage, spaces } = JSON.parse(result.value) as { usage: NodeJS.MemoryUsage; spaces: { space_name: string; space_size: number }[] };
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
  return {
    rssMb: kb('VmRSS'),
    rssAnonMb: kb('RssAnon'),
    rssFileMb: kb('RssFile'),
    heapUsedMb: usage.heapUsed / MB,
    heapTotalMb: usage.heapTotal / MB,
    externalMb: usage.external / MB,
    arrayBuffersMb: usage.arrayBuffers / MB,
    spaces: Object.fromEntries(spaces.map((s) => [s.space_name, Math.round((s.space_size / MB) * 10) / 10])),
  };
}

async function heapSnapshot(cdp: Cdp, file: string): Promise<void> {
  const out = createWriteStream(file);
  cdp.onChunk((chunk) => out.write(chunk));
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  await new Promise((done) => out.end(done));
}

interface Stage {
  stage: string;
  process: string;
  beforeGc: MemorySample;
  afterGc: MemorySample;
  snapshot?: string;
}

/** One reading of one process: memory as it is, then after a full GC, then (when asked) a heap snapshot. */
async function inspect(outDir: string, stage: string, p: BenchProcess, port: number, snapshot: boolean): Promise<Stage> {
  const cdp = await connect(port);
  try {
    await cdp.send('HeapProfiler.enable');
    const beforeGc = await sample(cdp, p.pid);
    await cdp.send('HeapProfiler.collectGarbage');
    const afterGc = await sample(cdp, p.pid);
    let file: string | undefined;
    if (snapshot) {
      file = join(outDir, `${p.name}-${stage}.heapsnapshot`);
      await heapSnapshot(cdp, file);
    }
    return { stage, process: p.name, beforeGc, afterGc, snapshot: file };
  } finally {
    cdp.close();
  }
}

async function listWorkloads(env: BenchEnvironment, seconds: number, connections: number): Promise<void> {
  for (const w of HTTP_WORKLOADS.filter((x) => x.key.startsWith('products'))) {
    await runLoad({ ...w.api.spec(env), connections, seconds: 3 });
    const result = await runLoad({ ...w.api.spec(env), connections, seconds });
    console.error(`  ${w.key}: ${Math.round(result.requestsPerSecond)} req/s, non-2xx ${result.non2xx}`);
  }
}

function row(s: Stage, when: 'beforeGc' | 'afterGc'): string {
  const m = s[when];
  const spaces = ['new_space', 'old_space', 'code_space', 'large_object_space'].map((k) => m.spaces[k]?.toFixed(1) ?? '-').join(' / ');
  const cells = [s.process, s.stage, when === 'beforeGc' ? 'as is' : 'after GC', m.rssMb, m.rssAnonMb, m.rssFileMb, m.heapUsedMb, m.heapTotalMb, m.externalMb, m.arrayBuffersMb];
  return `| ${cells.map((c) => (typeof c === 'number' ? c.toFixed(1) : c)).join(' | ')} | ${spaces} |`;
}

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
  const startedAt = new Date().toISOString();
  const outDir = join(ROOT, 'dist', 'bench-out', `${startedAt.replace(/[:.]/g, '-')}-memory`);
  buildProcesses();
  const before = loadAverage();
  const ports = { api: await freePort(), worker: await freePort() };
  const env = await startEnvironment({ outDir, profile: false, webhookTenants: 1, inspectPorts: ports });
  const stages: Stage[] = [];
  try {
    await settle(env);
    await new Promise((r) => setTimeout(r, 2000));
    // Snapshots only at the end: writing one grows the process's native memory by ~200 MB, which
    // would be counted in every reading after it.
    stages.push(await inspect(outDir, 'idle', env.api, ports.api, false));
    stages.push(await inspect(outDir, 'idle', env.worker, ports.worker, false));
    console.error('list workloads:');
    await listWorkloads(env, seconds, connections);
    await settle(env);
    stages.push(await inspect(outDir, 'after-lists', env.api, ports.api, true));
    stages.push(await inspect(outDir, 'after-lists', env.worker, ports.worker, true));
  } finally {
    await env.stop();
  }
  const lines = [
    `Memory run ${startedAt}; load average before ${before}, after ${loadAverage()} (2 cores). Cold start (with --inspect): API ${Math.round(env.api.coldStartMs)} ms, worker ${Math.round(env.worker.coldStartMs)} ms.`,
    '',
    '| process | stage | reading | RSS | RSS anon | RSS file | heapUsed | heapTotal | external | arrayBuffers | V8 spaces new / old / code / large |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...stages.flatMap((s) => [row(s, 'beforeGc'), row(s, 'afterGc')]),
    '',
  ];
  for (const s of stages) if (s.snapshot) lines.push(renderHeapSummary(`${s.process} ${s.stage}`, summarizeHeapSnapshot(s.snapshot, 30)), '');
  const text = lines.join('\n');
  writeFileSync(join(outDir, 'memory.md'), `${text}\n`);
  writeFileSync(join(outDir, 'memory.json'), JSON.stringify(stages, null, 2));
  console.log(text);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
