import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const PLACEHOLDER_SECRETS = new Set(['change-me', 'changeme', 'secret', 'dev-only-secret-change-me']);

/** Every setting the processes read, with its default. Nothing outside src/config reads process.env. */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    PUBLIC_BASE_URL: z.url().optional(),
    /** Proxies in front of the API whose X-Forwarded-For is trusted; 0 = use the socket address. */
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL'),
    /**
     * The owner's connection for migrations (the release step, `npm start`, tests); the API and
     * worker use DATABASE_URL, the runtime role that owns nothing. Unset = DATABASE_URL.
     */
    MIGRATION_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL').optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'a redis:// URL'),
    QUEUE_PREFIX: z.string().min(1).default('cbapi'),
    /** The tenant whose owners and admins run this deployment: they alone see /admin/queues. Unset = no dashboard. */
    OPERATOR_TENANT_ID: z.string().regex(/^ten_[0-9a-z]{26}$/, 'a tenant id (ten_…)').optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    JWT_SECRET: z.string().min(32, 'at least 32 characters').default('dev-only-secret-change-me-0123456789abcdef'),
    JWT_ACCESS_TTL_SECONDS: z.coerce.number().int().min(60).default(3600),
    REFRESH_TTL_DAYS: z.coerce.number().int().min(1).default(30),
    SIGNUP_ENABLED: bool.default(true),
    RATE_LIMIT_READS_PER_MINUTE: z.coerce.number().int().min(1).default(120),
    RATE_LIMIT_WRITES_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    WORKER_IN_PROCESS: bool.default(false),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10000),
    SMTP_URL: z.string().default('smtp://127.0.0.1:1025'),
    MAIL_FROM: z.string().default('Commerce API <no-reply@localhost>'),
    /** Where test-mode (sandbox) mail goes, e.g. a mail catcher; unset = test-mode mail is only recorded, never sent. */
    SANDBOX_SMTP_URL: z.string().regex(/^smtps?:\/\//, 'an smtp:// URL').optional(),
    WEBHOOK_ALLOW_PRIVATE_URLS: bool.default(false),
    /** Waits before retries 2…n of a failed delivery: 1 min, 5 min, 30 min, 2 h, 6 h → 6 attempts. */
    WEBHOOK_RETRY_DELAYS_MS: z
      .string()
      .regex(/^\d+(,\d+)*$/, 'comma-separated milliseconds')
      .default('60000,300000,1800000,7200000,21600000')
      .transform((v) => v.split(',').map(Number)),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(10000),
    /** How often the relay looks for committed events when no notification woke it. */
    OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60000).default(1000),
    /** The card processor adapter of live mode; `none` = live payments answer 422 (test mode always uses the built-in sandbox). */
    PAYMENT_PROVIDER: z.enum(['none']).default('none'),
    /** How long a hosted invoice payment link (`/pay/{token}`) stays valid; `POST /invoices/{id}/send` mints a fresh one. */
    HOSTED_PAGE_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 366).default(720),
    /** Days after a service went past due on which its invoice is charged again (e.g. 1,3,5). */
    DUNNING_RETRY_DAYS: z
      .string()
      .regex(/^\d+(,\d+)*$/, 'comma-separated whole days')
      .default('1,3,5')
      .transform((v) => v.split(',').map(Number).sort((a, b) => a - b)),
    /** A past-due service still unpaid this many days after it went past due is suspended. */
    SUSPEND_AFTER_DAYS_PAST_DUE: z.coerce.number().int().min(0).max(365).default(7),
    /** How long a hosted checkout link (`/r/{token}`) stays valid. */
    CHECKOUT_LINK_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(72),
    /** Services handled per renewal job run (per sweep: renewals, retries, suspensions). */
    RENEWAL_BATCH_SIZE: z.coerce.number().int().min(1).max(10000).default(200),
  })
  .superRefine((cfg, issue) => {
    if (cfg.NODE_ENV === 'production' && [...PLACEHOLDER_SECRETS].some((p) => cfg.JWT_SECRET.startsWith(p))) {
      issue.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'a real secret in production, not the development default' });
    }
    if (cfg.NODE_ENV === 'production' && cfg.WEBHOOK_ALLOW_PRIVATE_URLS) {
      issue.addIssue({ code: 'custom', path: ['WEBHOOK_ALLOW_PRIVATE_URLS'], message: 'false in production' });
    }
  });

export type AppConfig = z.infer<typeof configSchema>;
