import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import { DevServiceError, LogTail, portAnswers } from './dev-service';

export interface PrivateRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Called once if redis-server exits while we did not ask it to. */
  onUnexpectedExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
}

const START_TIMEOUT_MS = 10_000;

/** The redis-server on the PATH, or undefined. */
export function redisServerOnPath(): string | undefined {
  const executable = (file: string) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  return (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, 'redis-server')).find(executable);
}

/**
 * A redis-server of our own, in memory only (no RDB, no AOF), on 127.0.0.1:port. `portHint` names
 * the setting that moves it, for the one-line error when the port is taken.
 */
export async function startPrivateRedis(options: { port: number; dir: string; portHint: string; detached?: boolean }): Promise<PrivateRedis> {
  const bin = redisServerOnPath();
  if (!bin) throw new DevServiceError('redis-server is not on the PATH: install it (apt-get install redis-server) or set REDIS_URL to a running Redis');
  const { port } = options;
  // Checked first so we never mistake someone else's server (or one left by a killed run) for ours.
  if (await portAnswers(port)) {
    throw new DevServiceError(`port ${port} is already in use (another program, or a redis-server left by a killed run): set ${options.portHint}, or REDIS_URL to use a running Redis`);
  }
  fs.mkdirSync(options.dir, { recursive: true });
  const logFile = path.join(options.dir, 'redis.log');
  const tail = new LogTail(logFile);
  // detached (npm start): a Ctrl-C in the terminal must not reach redis before the app (BullMQ) has
  // closed its connections. A test run leaves it attached, so a Ctrl-C takes it down with the run.
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', options.dir], {
    detached: options.detached ?? true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => tail.write(chunk));
  child.stderr?.on('data', (chunk: Buffer) => tail.write(chunk));
  let spawnError: NodeJS.ErrnoException | undefined;
  child.on('error', (err) => { spawnError = err; });
  let stopping = false;
  let unexpected: ((code: number | null, signal: NodeJS.Signals | null) => void) | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => {
    tail.close();
    if (!stopping) unexpected?.(code, signal);
    resolve();
  }));
  const alive = () => child.exitCode === null && child.signalCode === null && !spawnError;
  const orphanGuard = () => { if (alive()) child.kill('SIGTERM'); };
  process.once('exit', orphanGuard);
  const stop = async () => {
    stopping = true;
    process.removeListener('exit', orphanGuard);
    if (!alive()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  const url = `redis://127.0.0.1:${port}`;
  for (const deadline = Date.now() + START_TIMEOUT_MS; ; await new Promise((r) => setTimeout(r, 50))) {
    if (!alive() || Date.now() > deadline) {
      const why = spawnError ? `cannot run ${bin} (${spawnError.code ?? spawnError.message})` : tail.problems() || 'no answer';
      await stop();
      throw new DevServiceError(`redis-server did not start on port ${port}: ${why} (set ${options.portHint}, or REDIS_URL to use your own Redis; log ${logFile})`);
    }
    const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    client.on('error', () => {}); // refused connections are expected until it is up
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') break;
    } catch {
      // not up yet
    } finally {
      client.disconnect();
    }
  }
  return { url, port, stop, onUnexpectedExit: (listener) => { unexpected = listener; } };
}
