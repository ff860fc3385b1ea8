import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './child-processes';
import { trackChild } from './child-registry';

/**
 * A redis-server of this test's own on a free port, with an append-only file so a restart keeps
 * the queues (as a production Redis with persistence does). Tests that restart Redis use this,
 * never the machine's shared Redis.
 */
export class PrivateRedis {
  private proc?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'cbapi-redis-'));
  port = 0;

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  async start(): Promise<void> {
    if (spawnSync('redis-server', ['--version']).status !== 0) throw new Error('redis-server is not on the PATH (Debian: apt-get install redis-server)');
    this.port ||= await freePort();
    this.proc = trackChild(spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--save', '', '--protected-mode', 'no'], {
      stdio: 'ignore',
    }));
    await waitFor('the private redis-server', () => this.ping(), 10_000);
  }

  /** Stops the server (SIGTERM: it writes its append-only file) and starts it again on the same port. */
  async restart(): Promise<number> {
    const started = Date.now();
    await this.stop();
    await this.start();
    return Date.now() - started;
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    this.proc = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private ping(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect(this.port, '127.0.0.1');
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(1000, () => done(false));
      socket.once('error', () => done(false));
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    });
  }
}
