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

  it('names a malformed variable', () => {
    expect(() => parseConfig({ ...base, PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, PORT: 'eighty' })).toThrow(/PORT is invalid/);
  });

  it('refuses the development JWT secret in production', () => {
    expect(() => parseConfig({ ...base, NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(parseConfig({ ...base, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }).NODE_ENV).toBe('production');
  });
});
