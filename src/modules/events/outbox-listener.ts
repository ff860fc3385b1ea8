import type { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { OUTBOX_CHANNEL } from './events.repository';

/** Wait before connecting again after the LISTEN connection failed or dropped. */
const RECONNECT_MS = 1000;

/**
 * A dedicated connection LISTENing on the outbox channel, connected again whenever it drops, so
 * a committed event wakes the relay at once; the relay's poll covers the moments it is down.
 * `notified` stays true from a notification until the relay takes it (`take()`): a notification
 * that arrives while a batch runs is not lost, the relay looks again right after that batch.
 */
export class OutboxListener {
  private client?: Client;
  private notified = false;
  private wake?: () => void;
  private stopped = false;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.databaseUrl });
    this.client = client;
    let failed = false;
    const reconnect = (err?: Error) => {
      if (failed || this.stopped) return;
      failed = true;
      if (err) this.logger.warn({ err: err.message }, 'outbox listener connection lost; polling until it is back');
      client.end().catch(() => undefined);
      this.retry = setTimeout(() => this.start(), RECONNECT_MS);
    };
    client.on('notification', () => this.notify());
    client.on('error', (err) => reconnect(err));
    client.on('end', () => reconnect());
    client
      .connect()
      .then(() => client.query(`LISTEN ${OUTBOX_CHANNEL}`))
      // Events committed while no one listened are found by this look.
      .then(() => this.notify())
      .catch((err: Error) => reconnect(err));
  }

  /** True when a notification came since the last call. */
  take(): boolean {
    const was = this.notified;
    this.notified = false;
    return was;
  }

  /** Resolves on the next notification, after `ms`, or when `signal` aborts. */
  waitNext(ms: number, signal: AbortSignal): Promise<void> {
    if (this.notified || signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }

  private notify(): void {
    this.notified = true;
    this.wake?.();
  }
}
