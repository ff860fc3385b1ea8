import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type Redis from 'ioredis';
import { Counter } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Clock } from '../../platform/clock/clock';
import type { RequestContext } from '../../platform/context/request-context';
import { MetricsService } from '../../platform/metrics/metrics.service';
import { withTimeout } from '../../platform/rate-limit/with-timeout';
import { REDIS } from '../../platform/redis/redis.module';

const REDIS_TIMEOUT_MS = 500;
/** Per-tenant totals of quota refusals and deferrals, read by the API's /metrics at scrape time. */
export const MAIL_QUOTA_TOTALS_KEY = 'mail:quota:totals';

/**
 * One atomic step over the tenant's day counter (KEYS[1]) and each recipient's hour counter
 * (KEYS[2..]): refuse when any is full (1 = the day, 2 = a recipient), else count them all.
 */
const TAKE_LUA = `
if tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[1]) then return 1 end
for i = 2, #KEYS do
  if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[2]) then return 2 end
end
redis.call('INCR', KEYS[1]); redis.call('EXPIRE', KEYS[1], ARGV[3])
for i = 2, #KEYS do redis.call('INCR', KEYS[i]); redis.call('EXPIRE', KEYS[i], ARGV[4]) end
return 0
`;

export type QuotaDecision = { allowed: true } | { allowed: false; limit: 'tenant_day' | 'recipient_hour'; retryAfterSeconds: number; until: Date };

/** The windows a send falls in, by the injected clock: the UTC day and the clock hour, and when each ends. */
export function quotaWindows(now: Date): { day: string; hour: string; dayEnds: Date; hourEnds: Date } {
  const iso = now.toISOString();
  const dayEnds = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  const hourEnds = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 + 3_600_000);
  return { day: iso.slice(0, 10), hour: iso.slice(0, 13), dayEnds, hourEnds };
}

/**
 * Send quotas of live e-mail (issue 23): MAIL_QUOTA_PER_TENANT_PER_DAY per tenant and UTC day,
 * MAIL_QUOTA_PER_RECIPIENT_PER_HOUR per tenant, recipient and hour, counted in Redis so every API
 * replica and worker shares them. Test-mode mail never reaches a real inbox and is not counted.
 * Fails open (with a warning) when Redis does not answer, like the request limits.
 */
@Injectable()
export class MailQuota {
  private readonly logger = new Logger('MailQuota');

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    @Optional() @Inject(MetricsService) metrics: MetricsService | null,
  ) {
    if (!metrics) return; // the worker process: its counts reach the API's /metrics through Redis
    new Counter({
      name: 'mail_quota_exceeded_total',
      help: 'Live e-mails over a send quota, by tenant and outcome (refused: the send route answered 429; deferred: queued mail waits for the next window)',
      labelNames: ['tenant', 'outcome'],
      registers: [metrics.registry],
      async collect() {
        const totals = await redis.hgetall(MAIL_QUOTA_TOTALS_KEY);
        this.reset();
        for (const [field, n] of Object.entries(totals)) {
          const [tenant, outcome] = field.split('|');
          this.inc({ tenant, outcome }, Number(n));
        }
      },
    });
  }

  /** Counts one live e-mail to `recipients` when every quota has room; test mode always may. */
  async take(ctx: RequestContext, recipients: readonly string[]): Promise<QuotaDecision> {
    if (ctx.mode !== 'live') return { allowed: true };
    const windows = quotaWindows(this.clock.now());
    const tag = `{${ctx.tenant}}`; // one hash slot per tenant (Redis Cluster)
    const keys = [
      `mailq:${tag}:day:${windows.day}`,
      ...recipients.map((r) => `mailq:${tag}:rcpt:${createHash('sha256').update(r.toLowerCase()).digest('hex').slice(0, 32)}:${windows.hour}`),
    ];
    let verdict: number;
    try {
      verdict = Number(await withTimeout(this.redis.eval(TAKE_LUA, keys.length, ...keys,
        this.config.MAIL_QUOTA_PER_TENANT_PER_DAY, this.config.MAIL_QUOTA_PER_RECIPIENT_PER_HOUR, 2 * 86400, 2 * 3600), REDIS_TIMEOUT_MS));
    } catch (err) {
      this.logger.warn({ request_id: ctx.requestId, err: err instanceof Error ? err.message : String(err) }, 'mail quota skipped, Redis unavailable');
      return { allowed: true };
    }
    if (verdict === 0) return { allowed: true };
    const until = verdict === 1 ? windows.dayEnds : windows.hourEnds;
    const retryAfterSeconds = Math.max(1, Math.ceil((until.getTime() - this.clock.now().getTime()) / 1000));
    return { allowed: false, limit: verdict === 1 ? 'tenant_day' : 'recipient_hour', retryAfterSeconds, until };
  }

  /** Counts a refusal or deferral for `mail_quota_exceeded_total{tenant,outcome}`. */
  async record(ctx: RequestContext, outcome: 'refused' | 'deferred'): Promise<void> {
    await this.redis.hincrby(MAIL_QUOTA_TOTALS_KEY, `${ctx.tenant}|${outcome}`, 1).catch(() => undefined);
  }
}
