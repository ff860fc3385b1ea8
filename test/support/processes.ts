import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { trackChild } from './child-registry';

const root = join(__dirname, '..', '..');

/** The API (src/main.ts) or the worker (src/worker.ts) as its own OS process, on the test database and Redis. */
export function spawnProcess(entry: 'main' | 'worker', env: Record<string, string>): ChildProcess {
  return trackChild(
    spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(root, 'src', `${entry}.ts`)], {
      cwd: root,
      env: { ...process.env, HOST: '127.0.0.1', WORKER_IN_PROCESS: 'false', NODE_OPTIONS: '', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
}

/** Resolves with the exit code (or the signal's name) and the time it took from `since`. */
export function exited(child: ChildProcess, since = Date.now()): Promise<{ code: number | string; afterMs: number }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode ?? String(child.signalCode), afterMs: Date.now() - since });
    child.once('exit', (code, signal) => resolve({ code: code ?? String(signal), afterMs: Date.now() - since }));
  });
}

/** Polls until `probe` gives a truthy value (errors count as not yet): the shared helper of test/support/wait.ts. */
export { waitFor } from './wait';
