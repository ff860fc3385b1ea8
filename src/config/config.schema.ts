import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const PLACEHOLDER_SECRETS = new Set(['change-me', 'changeme', 'secret', 'dev-only-secret-change-me', 'dev-only-hash-secret-change-me']);

/**
 * A comma-separated list of exact browser origins (`https://app.example.com`, `http://localhost:5173`):
 * scheme, host and port only, no path, no wildcard. Empty = none.
 */
const originList = z
  .string()
  .default('')
  .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
  .refine((origins) => origins.every(isExactOrigin), 'comma-separated exact origins such as https://app.example.com (no path, no wildcard)');

function isExactOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value && !url.hostname.includes('*');
  } catch {
    return false;
  }
}

/** A retention in whole days (1 day to 10 years). */
const retentionDays = (fallback: number) => z.coerce.number().int().min(1).max(3660).default(fallback);

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
    /** How long a request waits for a free pool connection before it answers 503 (pg-pool connectionTimeoutMillis). */
    DATABASE_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(10).max(120_000).default(5000),
    /** Server-side cap on one SQL statement (PostgreSQL statement_timeout); 0 = none. A request that hits it answers 503. */
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
    /** A session idle inside an open transaction this long is ended by PostgreSQL (idle_in_transaction_session_timeout); 0 = never. */
    DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'a redis:// URL'),
    QUEUE_PREFIX: z.string().min(1).default('cbapi'),
    /** The tenant whose owners and admins run this deployment: they alone see /admin/queues. Unset = no dashboard. */
    OPERATOR_TENANT_ID: z.string().regex(/^ten_[0-9a-z]{26}$/, 'a tenant id (ten_…)').optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    JWT_SECRET: z.string().min(32, 'at least 32 characters').default('dev-only-secret-change-me-0123456789abcdef'),
    /**
     * Keys the HMACs of hosted pay-link tokens and idempotency request fingerprints, and (derived)
     * the encryption of stored idempotent responses. Separate from JWT_SECRET so that rotating the
     * signing key does not break every pay link, and the other way round.
     */
    HASH_SECRET: z.string().min(32, 'at least 32 characters').default('dev-only-hash-secret-change-me-0123456789ab'),
    JWT_ACCESS_TTL_SECONDS: z.coerce.number().int().min(60).default(3600),
    REFRESH_TTL_DAYS: z.coerce.number().int().min(1).default(30),
    /**
     * Seconds after a refresh token was rotated in which presenting it again returns the same
     * successor pair (two tabs, a retried request, React StrictMode) instead of revoking the family; 0 = none.
     */
    REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
    /** Browser origins allowed to call /api/v1 (CORS). None by default; `npm start` sets the usual dev servers. */
    CORS_ORIGINS: originList,
    /**
     * Origins (each also in CORS_ORIGINS) whose requests may carry credentials, i.e. the refresh-token
     * cookie of the cookie transport (Access-Control-Allow-Credentials). None by default.
     */
    CORS_CREDENTIALS_ORIGINS: originList,
    SIGNUP_ENABLED: bool.default(true),
    /** Sign-up sends the owner a verification link; until it is followed the tenant works in test mode only (no live keys, no live mail). Off for closed deployments. */
    SIGNUP_VERIFICATION: bool.default(true),
    /** Sign-up fills the new tenant's sandbox (test mode) with sample products, customers, stock, orders and an invoice. */
    SANDBOX_SAMPLE_DATA: bool.default(true),
    /** How long a sign-up verification link stays valid. */
    SIGNUP_VERIFICATION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(48),
    /** Verification e-mails one tenant may ask for again per hour (`POST /tenants/verification-email`). */
    SIGNUP_VERIFICATION_RESENDS_PER_HOUR: z.coerce.number().int().min(1).max(100).default(3),
    RATE_LIMIT_READS_PER_MINUTE: z.coerce.number().int().min(1).default(120),
    RATE_LIMIT_WRITES_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    /** Active API keys a tenant may hold (both modes); the next one answers 409 (issue 23). */
    API_KEYS_PER_TENANT_MAX: z.coerce.number().int().min(1).default(50),
    /** Per client IP: requests that fail authentication (missing, invalid or revoked credentials). */
    RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: z.coerce.number().int().min(1).default(60),
    /** Failed logins per account (tenant + user) in one window before 429. */
    LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
    /** Failed logins per client IP in one window before 429. */
    LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(30),
    /** The window of the failed-login counters, from the first failure. */
    LOGIN_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86400).default(900),
    WORKER_IN_PROCESS: bool.default(false),
    /** Deadline from SIGTERM to exit: draining, in-flight requests and jobs, closing pools. Past it the process exits with 1. */
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10000),
    /**
     * After SIGTERM the API answers /health/ready with 503 and keeps serving this long before it
     * stops accepting connections, so load balancers take it out of rotation first (a Kubernetes
     * endpoint update lags the signal). Must be shorter than SHUTDOWN_TIMEOUT_MS.
     */
    SHUTDOWN_DRAIN_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(2000),
    /** Serve /metrics on this port instead of the API port (so it is not public); unset = on the API port. */
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    /** The worker process serves /health and /metrics on this port; unset = no HTTP in the worker. */
    WORKER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
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
    /** Tries of one event whose subscriber fails (an alert mail refused, a bug) before it is dead-lettered. */
    EVENT_RELAY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
    /** Wait before the 2nd try of a failed event; doubles each try (capped at 6 h). */
    EVENT_RELAY_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
    /**
     * Webhook delivery jobs one worker process runs at once (all tenants together; each tenant still at most
     * WEBHOOK_MAX_IN_FLIGHT_PER_TENANT in flight). Other queues run 20 at once.
     */
    WEBHOOK_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(50),
    /** Deliveries of one tenant in flight at once (per worker fleet): one slow endpoint cannot take every slot. */
    WEBHOOK_MAX_IN_FLIGHT_PER_TENANT: z.coerce.number().int().min(1).max(1000).default(5),
    /** Webhook endpoints per tenant and mode; creating one more answers 422. */
    WEBHOOK_MAX_ENDPOINTS_PER_TENANT: z.coerce.number().int().min(1).max(1000).default(20),
    /** The card processor adapter of live mode; `none` = live payments answer 422 (test mode always uses the built-in sandbox). */
    PAYMENT_PROVIDER: z.enum(['none', 'stripe']).default('none'),
    /** The Stripe secret key (`sk_live_…`, or `sk_test_…` against Stripe's test mode); required with PAYMENT_PROVIDER=stripe. */
    STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(live|test)_\w+$/, 'a Stripe secret key (sk_live_… / sk_test_…)').optional(),
    /** The signing secret (`whsec_…`) of the Stripe webhook endpoint that posts to /api/v1/webhooks/stripe. */
    STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_\w+$/, 'a Stripe webhook signing secret (whsec_…)').optional(),
    /** Where the Stripe API is; tests point it at a local stand-in. */
    STRIPE_API_BASE: z.url().default('https://api.stripe.com'),
    /**
     * The smallest charge, in minor units of a 2-decimal currency (50 = 0.50), scaled to each currency by
     * its ISO 4217 exponent (1 JPY, 500 KWD): `POST /payments/intents` below it → 422 `amount_too_small`,
     * `POST /invoices` below it (total above 0) → created with a `Warning` header. 0 = no minimum.
     */
    MINIMUM_CHARGE_MINOR_UNITS: z.coerce.number().int().min(0).max(1_000_000).default(50),
    /** Test-only: the sandbox processor fails or hangs right AFTER it charged (capture) or refunded, to test crash recovery. Refused in production. */
    SANDBOX_PROVIDER_FAULT: z.enum(['none', 'fail_after_charge', 'hang_after_charge', 'fail_after_refund', 'hang_after_refund']).default('none'),
    /** A payment left in `processing` (or a refund in `pending`, a renewal charge claim in `charging`) this long is settled by asking the processor. */
    PAYMENT_RECONCILE_AFTER_SECONDS: z.coerce.number().int().min(1).max(7 * 86400).default(300),
    /** How long a hosted invoice payment link (`/pay/{token}`) stays valid; `POST /invoices/{id}/send` mints a fresh one. */
    HOSTED_PAGE_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 366).default(720),
    /** Requests per minute to one hosted-page token (`/pay/{token}`, `/r/{token}`), GET and POST together; bursts up to 2×. */
    HOSTED_PAGE_REQUESTS_PER_MINUTE_PER_TOKEN: z.coerce.number().int().min(1).default(30),
    /** Requests per minute from one client IP to the hosted pages, all tokens together; bursts up to 2×. */
    HOSTED_PAGE_REQUESTS_PER_MINUTE_PER_IP: z.coerce.number().int().min(1).default(60),
    /** Card payments tried on one invoice's hosted page within 24 h (card testing); further tries answer 429. */
    HOSTED_PAGE_CARD_ATTEMPTS_PER_DAY: z.coerce.number().int().min(1).default(10),
    /** Live e-mails one tenant may send per UTC day; over it the send route answers 429 and queued system mail waits for the next day. */
    MAIL_QUOTA_PER_TENANT_PER_DAY: z.coerce.number().int().min(1).default(1000),
    /** Live e-mails one tenant may send to one recipient per clock hour (same refusal and deferral). */
    MAIL_QUOTA_PER_RECIPIENT_PER_HOUR: z.coerce.number().int().min(1).default(10),
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
    /**
     * Domain prices every tenant starts with (tenants override them per TLD with PUT /settings/tld-prices/{tld}):
     * comma-separated `tld:registration:renewal` in minor units of DOMAIN_PRICE_CURRENCY (ASCII TLDs, punycode for IDN TLDs).
     */
    DOMAIN_TLD_PRICES: z
      .string()
      .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)*:\d{1,11}:\d{1,11}(,[a-z0-9-]+(\.[a-z0-9-]+)*:\d{1,11}:\d{1,11})*$/, 'comma-separated tld:registration:renewal in minor units (e.g. com:1200:1400)')
      .default('com:1200:1400,net:1400:1600,org:1300:1500,io:3900:3900,dev:1500:1500,app:1800:1800,co.uk:900:900,de:800:800,xn--p1ai:600:600')
      .transform((v) => v.split(',').map((entry) => {
        const [tld, registration, renewal] = entry.split(':');
        return { tld, registrationAmount: Number(registration), renewalAmount: Number(renewal) };
      })),
    /** The currency of DOMAIN_TLD_PRICES. */
    DOMAIN_PRICE_CURRENCY: z.string().regex(/^[a-z]{3}$/, 'a lower-case ISO 4217 code').default('usd'),
    /** With auto-renew, the renewal invoice is issued (and `domain.expiring` emitted) this many days before a domain expires. */
    DOMAIN_RENEWAL_LEAD_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    /**
     * The registrar of live mode. Test mode always uses the built-in sandbox registrar; an EPP registrar is
     * an adapter behind the same interface (src/modules/domains/registrars/registrar.ts), not shipped yet.
     */
    DOMAIN_REGISTRAR: z.enum(['sandbox']).default('sandbox'),
    /** Retention (daily job): events older than this many days are deleted once relayed. */
    RETENTION_EVENTS_DAYS: retentionDays(30),
    /** Retention: finished webhook deliveries and their HTTP attempts older than this many days. */
    RETENTION_WEBHOOK_DELIVERIES_DAYS: retentionDays(30),
    /** Retention: outbound e-mails (no longer queued) older than this many days. */
    RETENTION_OUTBOUND_EMAILS_DAYS: retentionDays(90),
    /** Retention: refresh tokens, checkout links and superseded pay-link tokens this many days after they expired. */
    RETENTION_EXPIRED_TOKENS_GRACE_DAYS: retentionDays(7),
    /**
     * Retention: OAuth access and refresh tokens this many days after they expired or were revoked, and ended
     * authorizations (revoked, or whose last refresh token expired) with them. A used refresh token is kept while
     * its authorization could still be refreshed, so presenting it again is still detected as reuse.
     */
    RETENTION_OAUTH_TOKENS_DAYS: retentionDays(30),
    /** Retention: OAuth authorization codes (used or not) this many days after they expired (they live 5 minutes). */
    RETENTION_OAUTH_CODES_DAYS: retentionDays(1),
    /** Rows deleted per retention statement; each batch is its own short transaction. */
    RETENTION_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(1000),
    /** OTLP/HTTP collector base URL (e.g. http://otel-collector:4318); unset = traces are not exported (and not recorded). */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
    /** `otlp` (the default once an endpoint is set), `none`, or `console` (test only: spans printed to stdout). */
    OTEL_TRACES_EXPORTER: z.enum(['otlp', 'console', 'none']).optional(),
    /** service.name of the spans; unset = cbapi-api or cbapi-worker by process. */
    OTEL_SERVICE_NAME: z.string().min(1).max(100).optional(),
  })
  .superRefine((cfg, issue) => {
    if (cfg.SHUTDOWN_DRAIN_DELAY_MS >= cfg.SHUTDOWN_TIMEOUT_MS) {
      issue.addIssue({ code: 'custom', path: ['SHUTDOWN_DRAIN_DELAY_MS'], message: 'less than SHUTDOWN_TIMEOUT_MS (the drain is part of that deadline)' });
    }
    if (cfg.NODE_ENV === 'production' && [...PLACEHOLDER_SECRETS].some((p) => cfg.JWT_SECRET.startsWith(p))) {
      issue.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'a real secret in production, not the development default' });
    }
    if (cfg.NODE_ENV === 'production' && [...PLACEHOLDER_SECRETS].some((p) => cfg.HASH_SECRET.startsWith(p))) {
      issue.addIssue({ code: 'custom', path: ['HASH_SECRET'], message: 'a real secret in production, not the development default' });
    }
    if (cfg.NODE_ENV === 'production' && cfg.HASH_SECRET === cfg.JWT_SECRET) {
      issue.addIssue({ code: 'custom', path: ['HASH_SECRET'], message: 'a secret distinct from JWT_SECRET' });
    }
    if (cfg.NODE_ENV === 'production' && cfg.SANDBOX_PROVIDER_FAULT !== 'none') {
      issue.addIssue({ code: 'custom', path: ['SANDBOX_PROVIDER_FAULT'], message: 'none in production (a test-only switch)' });
    }
    if (cfg.PAYMENT_PROVIDER === 'stripe') {
      for (const key of ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] as const) {
        if (!cfg[key]) issue.addIssue({ code: 'custom', path: [key], message: 'set when PAYMENT_PROVIDER is stripe' });
      }
    }
    const notAllowed = cfg.CORS_CREDENTIALS_ORIGINS.filter((o) => !cfg.CORS_ORIGINS.includes(o));
    if (notAllowed.length > 0) {
      issue.addIssue({ code: 'custom', path: ['CORS_CREDENTIALS_ORIGINS'], message: `origins also listed in CORS_ORIGINS (not: ${notAllowed.join(', ')})` });
    }
    if (cfg.NODE_ENV === 'production' && cfg.OTEL_TRACES_EXPORTER === 'console') {
      issue.addIssue({ code: 'custom', path: ['OTEL_TRACES_EXPORTER'], message: 'otlp or none in production (console is for tests)' });
    }
    if (cfg.OTEL_TRACES_EXPORTER === 'otlp' && !cfg.OTEL_EXPORTER_OTLP_ENDPOINT) {
      issue.addIssue({ code: 'custom', path: ['OTEL_EXPORTER_OTLP_ENDPOINT'], message: 'a collector URL when OTEL_TRACES_EXPORTER is otlp' });
    }
    if (cfg.NODE_ENV === 'production' && cfg.WEBHOOK_ALLOW_PRIVATE_URLS) {
      issue.addIssue({ code: 'custom', path: ['WEBHOOK_ALLOW_PRIVATE_URLS'], message: 'false in production' });
    }
  });

export type AppConfig = z.infer<typeof configSchema>;
