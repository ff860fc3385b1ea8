import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  seconds: number;
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  /** connect/read/write errors and timeouts */
  errors: number;
}

const hasWrk = process.env.BENCH_LOAD_GENERATOR !== 'autocannon' && spawnSync('wrk', ['--version']).error === undefined;

/** The load generator in use: wrk when installed (Debian's `wrk` package), else (or with BENCH_LOAD_GENERATOR=autocannon) autocannon in a child process. */
export const loadGenerator = hasWrk ? 'wrk' : 'autocannon';

/** Drives one URL from a separate process for spec.seconds and reports throughput and latency. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return hasWrk ? runWrk(spec) : runAutocannon(spec);
}

function collect(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    child.stderr.on('data', (c: Buffer) => (err += c));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${err || out}`))));
  });
}

let scriptDir: string | undefined;

/** A wrk Lua script that sets the method and body (wrk takes headers on the command line, a body only from Lua). */
function wrkScript(method: string, body: string | undefined): string {
  scriptDir ??= mkdtempSync(join(tmpdir(), 'cbapi-bench-'));
  const bodyFile = join(scriptDir, `body-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(bodyFile, body ?? '');
  const script = join(scriptDir, `script-${Math.random().toString(36).slice(2)}.lua`);
  writeFileSync(script, `wrk.method = "${method}"\nlocal f = io.open("${bodyFile}", "rb")\nwrk.body = f:read("*a")\nf:close()\n`);
  return script;
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : NaN;
}

async function runWrk(spec: LoadSpec): Promise<LoadResult> {
  const args = ['-t', process.env.BENCH_WRK_THREADS ?? '1', '-c', String(spec.connections), '-d', `${spec.seconds}s`, '--timeout', '10s', '--latency'];
  for (const [name, value] of Object.entries(spec.headers ?? {})) args.push('-H', `${name}: ${value}`);
  if ((spec.method ?? 'GET') !== 'GET' || spec.body) args.push('-s', wrkScript(spec.method ?? 'GET', spec.body));
  args.push(spec.url);
  const out = await collect('wrk', args);
  const percentile = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out);
    return m ? toMs(m[1], m[2]) : NaN;
  };
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requests,
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    p50Ms: percentile('50'),
    p99Ms: percentile('99'),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    errors: socketErrors ? socketErrors.slice(1).reduce((s, v) => s + Number(v), 0) : 0,
  };
}

async function runAutocannon(spec: LoadSpec): Promise<LoadResult> {
  const args = [require.resolve('autocannon/autocannon.js'), '--json', '-c', String(spec.connections), '-d', String(spec.seconds), '-m', spec.method ?? 'GET'];
  for (const [name, value] of Object.entries(spec.headers ?? {})) args.push('-H', `${name}=${value}`);
  if (spec.body) args.push('-b', spec.body);
  args.push(spec.url);
  const result = JSON.parse(await collect(process.execPath, args));
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
