import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { withTimeout } from '../../platform/rate-limit/with-timeout';
import { outsideTraces } from '../../platform/tracing/tracing';

/**
 * What the credential triggers NOTIFY (migration CredentialChangeNotify): a tenant's id when one of
 * its keys, users or limits changed; '*' when a plan changed, which any tenant may be on.
 */
export const CREDENTIALS_CHANNEL = 'cbapi_credentials';
export const EVERY_TENANT = '*';

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;
/** A sync round trip slower than this takes the connection for dead: callers go to the database meanwhile. */
const SYNC_TIMEOUT_MS = 1_000;
const WARN_EVERY_MS = 10_000;

export interface ChangeFeedEvents {
  /** LISTEN is in force: every change committed from now on will be announced. */
  live(): void;
  /** The connection is gone: announcements may be missed until live() again. */
  lost(): void;
  changed(tenant: string): void;
}

interface Connection {
  client: Client;
  /** Closes the connection (once); resolves when it is closed. */
  drop(reason: string): Promise<void>;
}

/**
 * One connection of its own (not the pool's) LISTENing on CREDENTIALS_CHANNEL, reconnecting with
 * backoff, and `sync()`: a round trip on that same connection. A listening PostgreSQL session
 * sends the notifications of every transaction that committed before a query ahead of that
 * query's ReadyForQuery, and pg emits them in order, so once sync() resolves true every change
 * committed before it was called has reached `changed`: a cache that forgets on `changed` and
 * syncs before it answers is never behind the database, on any replica, whoever made the change.
 * Callers share round trips: each joins the next one sent after its call, so at most two are in
 * flight whatever the load. Nothing connects until the first sync() (a worker never does).
 */
export class CredentialChangeFeed {
  private readonly logger = new Logger('CredentialCache');
  private connection: Connection | null = null;
  private connecting = false;
  private stopped = false;
  private retryMs = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private inFlight: Promise<boolean> | null = null;
  private next: Promise<boolean> | null = null;
  private lastWarnAt = 0;

  constructor(
    private readonly databaseUrl: string,
    private readonly events: ChangeFeedEvents,
  ) {}

  get isLive(): boolean {
    return this.connection !== null;
  }

  /**
   * True once every change committed before this call has been announced; false (at once, or
   * when the round trip fails) while the connection is down, when announcements may be missing.
   */
  sync(): Promise<boolean> {
    const connection = this.connection;
    if (!connection) {
      this.start();
      return Promise.resolve(false);
    }
    if (!this.inFlight) return this.roundTrip(connection);
    // The one in flight was sent before this call: ride the next one, sent as soon as it ends.
    this.next ??= this.inFlight.then(() => {
      this.next = null;
      return this.sync();
    });
    return this.next;
  }

  start(): void {
    if (this.connection || this.connecting || this.retryTimer || this.stopped) return;
    this.connecting = true;
    void this.connect().finally(() => {
      this.connecting = false;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.connection?.drop('shutting down');
  }

  private roundTrip(connection: Connection): Promise<boolean> {
    const trip = outsideTraces(() => withTimeout(connection.client.query('SELECT 1'), SYNC_TIMEOUT_MS)).then(
      () => this.connection === connection,
      (err: unknown) => {
        void connection.drop(`sync round trip failed: ${messageOf(err)}`);
        return false;
      },
    );
    this.inFlight = trip.then((ok) => {
      this.inFlight = null;
      return ok;
    });
    return this.inFlight;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'cbapi-credential-feed', keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
    let closed: Promise<void> | null = null;
    const connection: Connection = {
      client,
      drop: (reason) => {
        if (closed) return closed;
        closed = client.end().catch(() => undefined);
        if (this.connection === connection) {
          this.connection = null;
          this.events.lost();
        }
        if (!this.stopped) {
          this.warn(reason);
          this.retryLater();
        }
        return closed;
      },
    };
    client.on('notification', (message) => {
      if (message.channel === CREDENTIALS_CHANNEL && message.payload) this.events.changed(message.payload);
    });
    client.on('error', (err) => void connection.drop(err.message));
    client.on('end', () => void connection.drop('connection closed'));
    try {
      await outsideTraces(() => client.connect().then(() => client.query(`LISTEN ${CREDENTIALS_CHANNEL}`)));
    } catch (err) {
      await connection.drop(`cannot LISTEN: ${messageOf(err)}`);
      return;
    }
    if (closed) return;
    if (this.stopped) {
      await connection.drop('shutting down');
      return;
    }
    this.connection = connection;
    this.retryMs = 0;
    this.events.live();
  }

  private retryLater(): void {
    if (this.retryTimer) return;
    this.retryMs = Math.min(RETRY_MAX_MS, Math.max(RETRY_MIN_MS, this.retryMs * 2));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.start();
    }, this.retryMs);
    this.retryTimer.unref();
  }

  private warn(reason: string): void {
    const now = Date.now();
    if (now - this.lastWarnAt < WARN_EVERY_MS) return;
    this.lastWarnAt = now;
    this.logger.warn(`Credential change feed down (${reason}); API keys are checked in the database until it is back`);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
