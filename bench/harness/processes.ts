import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on every Linux this runs on). */
const TICKS_PER_SECOND = 100;

export interface BenchProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  port: number;
  /** Spawn → first 200 from the readiness URL, ms. */
  coldStartMs: number;
  /** When it answered ready, on process.hrtime (µs): the end of the start-up window of a --cpu-prof profile. */
  readyAtUs: number;
  logFile: string;
}

export interface StartOptions {
  name: string;
  args: string[];
  env: Record<string, string>;
  port: number;
  readyPath: string;
  logFile: string;
  /** How long to wait for readiness before giving up. */
  timeoutMs?: number;
}

/** A free TCP port on 127.0.0.1 (bound and released, so a later bind of it almost always succeeds). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Spawns `node …args` with its output in logFile and waits until GET readyPath answers 200. */
export async function startProcess(options: StartOptions): Promise<BenchProcess> {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  await new Promise((resolve) => log.once('open', resolve));
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, options.args, {
    env: { ...process.env, NODE_OPTIONS: '', ...options.env },
    stdio: ['ignore', log, log],
  });
  const url = `http://127.0.0.1:${options.port}${options.readyPath}`;
  const deadline = spawnedAt + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${options.name} exited (${child.exitCode ?? child.signalCode}) before it was ready; see ${options.logFile}`);
    if (performance.now() > deadline) throw new Error(`${options.name} not ready within ${options.timeoutMs ?? 120_000} ms; see ${options.logFile}`);
    const ok = await fetch(url).then((r) => r.status === 200, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const readyAtUs = Number(process.hrtime.bigint() / 1000n);
  return { name: options.name, child, pid: child.pid!, port: options.port, coldStartMs: performance.now() - spawnedAt, readyAtUs, logFile: options.logFile };
}

/** SIGTERM, then SIGKILL after graceMs; resolves when the process is gone. */
export async function stopProcess(p: BenchProcess, graceMs = 15_000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => p.child.once('exit', () => resolve()));
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

export interface ProcessSample {
  /** user + system CPU seconds so far */
  cpuSeconds: number;
  rssMb: number;
  /** peak RSS so far (VmHWM) */
  peakRssMb: number;
}

/** CPU and memory of one process from /proc/<pid>/stat and /proc/<pid>/status. */
export function sampleProcess(pid: number): ProcessSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { cpuSeconds: cpuTicksOf(pid) / TICKS_PER_SECOND, rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
}

/** utime + stime of a process; with children=true, of its reaped children instead (cutime + cstime). */
function cpuTicksOf(pid: number | 'self', children = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at field 3 (state).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return children ? Number(fields[13]) + Number(fields[14]) : Number(fields[11]) + Number(fields[12]);
}

/** CPU seconds of the children this process has reaped: the load generator's, read around its run. */
export function reapedChildrenCpuSeconds(): number {
  return cpuTicksOf('self', true) / TICKS_PER_SECOND;
}

/** CPU ticks of every `postgres` process on the machine by pid (the server is shared with other work). */
export function postgresSnapshot(): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.includes('(postgres)')) ticks.set(Number(entry), cpuTicksOf(Number(entry)));
    } catch {
      // the process ended while we looked
    }
  }
  return ticks;
}

/**
 * CPU seconds the postgres processes used between two snapshots: backends that started in between
 * count whole; backends that ended in between are lost (an undercount, never a negative).
 */
export function postgresCpuSecondsBetween(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, t] of after) ticks += Math.max(0, t - (before.get(pid) ?? 0));
  return ticks / TICKS_PER_SECOND;
}

/** Busy and total CPU seconds of the whole machine (all cores) from /proc/stat. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const ticks = values.map(Number);
  const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = ticks[3] + ticks[4];
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}
