import { Logger } from '@nestjs/common';

/** At most one warning per connection per this many ms while Redis is unreachable (a client retries many times a second). */
const WARN_EVERY_MS = 10_000;

/**
 * Logs a Redis client's connection errors as throttled warnings. Without an 'error' listener
 * ioredis prints every failed reconnect to stderr ("[ioredis] Unhandled error event", not JSON)
 * and BullMQ console.errors it, which floods the logs during a Redis restart. The clients
 * reconnect on their own; this only makes the outage visible once, in the JSON log.
 */
export function warnOnConnectionErrors(client: { on(event: 'error', listener: (err: Error) => void): unknown }, what: string): void {
  const logger = new Logger('Redis');
  let lastWarnAt = 0;
  client.on('error', (err: Error) => {
    const now = Date.now();
    if (now - lastWarnAt < WARN_EVERY_MS) return;
    lastWarnAt = now;
    logger.warn(`${what}: ${err.message}; reconnecting`);
  });
}
