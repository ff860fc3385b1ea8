import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../src/dev/dev-service';
import { trackChild } from './child-registry';
import { waitFor } from './wait';

const root = join(__dirname, '..', '..');

/** A free TCP port on 127.0.0.1 (asked of the OS, then released for the child to take): the dev launcher's. */
export { freePort };

/** Polls until `probe` gives a truthy value (errors count as not yet): the shared helper of test/support/wait.ts. */
export { waitFor };

/** An API or worker process of this codebase (ts-node, like production's entry points), its stdout kept when asked. */
export class ServiceProcess {
  readonly stdout: string[] = [];
  private partial = '';
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly proc: ChildProcess,
    readonly url?: string,
  ) {
    this.exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.stdout?.setEncoding('utf8');
    proc.stdout?.on('data', (chunk: string) => {
      const lines = (this.partial + chunk).split('\n');
      this.partial = lines.pop() ?? '';
      this.stdout.push(...lines);
    });
  }

  /** The JSON log lines printed so far (pino), parsed. */
  logLines(): Record<string, unknown>[] {
    return this.stdout.filter((l) => l.startsWith('{"')).flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill(signal);
    await this.exited;
  }
}

/** DEBUG_CHILD_STDOUT=1 shows the logs of children whose stdout is not captured (when a child-process test fails). */
function spawnService(entry: 'main' | 'worker', env: Record<string, string>, captureStdout: boolean): ChildProcess {
  return trackChild(
    spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(root, 'src', `${entry}.ts`)], {
      cwd: root,
      env: { ...process.env, WORKER_IN_PROCESS: 'false', NODE_OPTIONS: '', ...env },
      stdio: ['ignore', captureStdout ? 'pipe' : (process.env.DEBUG_CHILD_STDOUT ? 'inherit' : 'ignore'), 'inherit'],
    }),
  );
}

/** Starts an API process on a free port and waits until it answers /health/live. */
export async function startApiProcess(name: string, env: Record<string, string>, options: { captureStdout?: boolean } = {}): Promise<ServiceProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = new ServiceProcess(name, spawnService('main', { ...env, PORT: String(port), HOST: '127.0.0.1' }, options.captureStdout ?? false), url);
  await Promise.race([
    waitFor(`${name} to listen`, async () => (await fetch(`${url}/health/live`)).ok, 90_000),
    service.exited.then((code) => {
      throw new Error(`${name} exited with ${code} before it listened`);
    }),
  ]);
  return service;
}

/** Starts a worker process (it has no port to wait on). */
export function startWorkerProcess(name: string, env: Record<string, string>, options: { captureStdout?: boolean } = {}): ServiceProcess {
  return new ServiceProcess(name, spawnService('worker', env, options.captureStdout ?? false));
}
