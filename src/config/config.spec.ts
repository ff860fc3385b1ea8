import { ConfigError, parseConfig } from './config';

const base = { DATABASE_URL: 'postgres://u@h/db', REDIS_URL: 'redis://h:6379' };

describe('parseConfig', () => {
  it('applies defaults', () => {
    const cfg = parseConfig(base);
    expect(cfg.PORT).toBe(3000);
    expect(cfg.RATE_LIMIT_READS_PER_MINUTE).toBe(120);
    expect(cfg.SIGNUP_ENABLED).toBe(true);
  });

  it('names a missing variable and what it expects', () => {
    expect(() => parseConfig({ REDIS_URL: 'redis://h' })).toThrow(/DATABASE_URL is missing: expected/);
  });

  it('PAYMENT_PROVIDER=stripe needs the Stripe secret key and webhook secret; the API base defaults to Stripe', () => {
    expect(parseConfig(base)).toMatchObject({ PAYMENT_PROVIDER: 'none', STRIPE_API_BASE: 'https://api.stripe.com' });
    expect(() => parseConfig({ ...base, PAYMENT_PROVIDER: 'stripe' })).toThrow(/STRIPE_SECRET_KEY .*set when PAYMENT_PROVIDER is stripe/);
    expect(() => parseConfig({ ...base, PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_abc' })).toThrow(/STRIPE_WEBHOOK_SECRET/);
    expect(() => parseConfig({ ...base, STRIPE_SECRET_KEY: 'pk_live_abc' })).toThrow(/STRIPE_SECRET_KEY is invalid/);
    const stripe = parseConfig({ ...base, PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_live_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc', STRIPE_API_BASE: 'http://127.0.0.1:12111' });
    expect(stripe).toMatchObject({ PAYMENT_PROVIDER: 'stripe', STRIPE_API_BASE: 'http://127.0.0.1:12111' });
  });

  it('names a malformed variable', () => {
    expect(() => parseConfig({ ...base, PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, PORT: 'eighty' })).toThrow(/PORT is invalid/);
  });

  it('refuses the development JWT secret in production', () => {
    expect(() => parseConfig({ ...base, NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(parseConfig({ ...base, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), HASH_SECRET: 'y'.repeat(40) }).NODE_ENV).toBe(
      'production',
    );
  });

  it('refuses the development hash secret, or one equal to the JWT secret, in production', () => {
    expect(() => parseConfig({ ...base, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(/HASH_SECRET/);
    expect(() => parseConfig({ ...base, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), HASH_SECRET: 'x'.repeat(40) })).toThrow(
      /HASH_SECRET is invalid: expected a secret distinct from JWT_SECRET/,
    );
  });

  it('has bounded database timeouts and documented retention defaults', () => {
    const cfg = parseConfig(base);
    expect([cfg.DATABASE_ACQUIRE_TIMEOUT_MS, cfg.DATABASE_STATEMENT_TIMEOUT_MS, cfg.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS]).toEqual([
      5000, 30000, 15000,
    ]);
    expect([cfg.RETENTION_EVENTS_DAYS, cfg.RETENTION_WEBHOOK_DELIVERIES_DAYS, cfg.RETENTION_OUTBOUND_EMAILS_DAYS]).toEqual([30, 30, 90]);
    expect(cfg.RETENTION_EXPIRED_TOKENS_GRACE_DAYS).toBe(7);
    expect([cfg.RETENTION_OAUTH_TOKENS_DAYS, cfg.RETENTION_OAUTH_CODES_DAYS]).toEqual([30, 1]);
  });

  it('reads CORS origins as an exact list, none by default, and credentials only for listed origins', () => {
    expect(parseConfig(base).CORS_ORIGINS).toEqual([]);
    expect(parseConfig(base).REFRESH_REUSE_GRACE_SECONDS).toBe(30);
    const cfg = parseConfig({ ...base, CORS_ORIGINS: 'https://app.example.com, http://localhost:5173', CORS_CREDENTIALS_ORIGINS: 'https://app.example.com' });
    expect(cfg.CORS_ORIGINS).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(cfg.CORS_CREDENTIALS_ORIGINS).toEqual(['https://app.example.com']);
    for (const bad of ['*', 'https://app.example.com/', 'https://*.example.com', 'app.example.com', 'ftp://x.example', 'https://a.example/path']) {
      expect(() => parseConfig({ ...base, CORS_ORIGINS: bad })).toThrow(/CORS_ORIGINS is invalid/);
    }
    expect(() => parseConfig({ ...base, CORS_ORIGINS: 'https://a.example', CORS_CREDENTIALS_ORIGINS: 'https://b.example' })).toThrow(
      /CORS_CREDENTIALS_ORIGINS is invalid: expected origins also listed in CORS_ORIGINS/,
    );
  });

  it('tracing: off by default; otlp needs an endpoint; the console exporter is refused in production', () => {
    expect(parseConfig(base).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(() => parseConfig({ ...base, OTEL_TRACES_EXPORTER: 'otlp' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => parseConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT is invalid/);
    const prod = { ...base, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), HASH_SECRET: 'y'.repeat(40) };
    expect(() => parseConfig({ ...prod, OTEL_TRACES_EXPORTER: 'console' })).toThrow(/OTEL_TRACES_EXPORTER/);
    expect(parseConfig({ ...prod, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://collector:4318');
  });

  it('drains before the shutdown deadline, and ops ports are off unless set', () => {
    const cfg = parseConfig(base);
    expect([cfg.SHUTDOWN_DRAIN_DELAY_MS, cfg.SHUTDOWN_TIMEOUT_MS, cfg.METRICS_PORT, cfg.WORKER_HTTP_PORT]).toEqual([2000, 10000, undefined, undefined]);
    expect(() => parseConfig({ ...base, SHUTDOWN_TIMEOUT_MS: '2000' })).toThrow(/SHUTDOWN_DRAIN_DELAY_MS is \w+: expected less than SHUTDOWN_TIMEOUT_MS/);
    expect(parseConfig({ ...base, METRICS_PORT: '9464', WORKER_HTTP_PORT: '3001' })).toMatchObject({ METRICS_PORT: 9464, WORKER_HTTP_PORT: 3001 });
  });
});
