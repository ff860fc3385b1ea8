import { TEST_DATABASE_URL, TEST_REDIS_URL, TEST_RUNTIME_DATABASE_URL } from './test-env-values';

// Settings every test process starts from; a test that needs others sets them before creating its app.
process.env.NODE_ENV = 'test';
process.env.DATABASE_URL = TEST_RUNTIME_DATABASE_URL;
process.env.MIGRATION_DATABASE_URL = TEST_DATABASE_URL;
process.env.REDIS_URL = TEST_REDIS_URL;
process.env.LOG_LEVEL ??= 'silent';
process.env.QUEUE_PREFIX ??= `cbapitest${process.pid}`;
process.env.WEBHOOK_ALLOW_PRIVATE_URLS ??= 'true';
process.env.DATABASE_POOL_SIZE ??= '20';
// Tests make hundreds of calls per credential; the rate-limit tests set low per-tenant limits instead.
process.env.RATE_LIMIT_READS_PER_MINUTE ??= '100000';
process.env.RATE_LIMIT_WRITES_PER_MINUTE ??= '100000';
// Hosted pages (/pay, /r) have their own per-link and per-IP limits; hosted-pages-limits sets low ones.
process.env.HOSTED_PAGE_REQUESTS_PER_MINUTE_PER_TOKEN ??= '100000';
process.env.HOSTED_PAGE_REQUESTS_PER_MINUTE_PER_IP ??= '100000';
// Every test file calls from 127.0.0.1; the brute-force test lowers this for its own app and addresses.
process.env.RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE ??= '100000';
// Test tenants are created verified (as by the operator CLI); identity-verification turns verification on.
process.env.SIGNUP_VERIFICATION ??= 'false';
// Tests count the rows they make in a new tenant's sandbox; sandbox-sample-data turns sample data on.
process.env.SANDBOX_SAMPLE_DATA ??= 'false';
// Send quotas count per tenant; mail-quotas sets low ones for its own app.
process.env.MAIL_QUOTA_PER_TENANT_PER_DAY ??= '100000';
process.env.MAIL_QUOTA_PER_RECIPIENT_PER_HOUR ??= '100000';
// Many tests pay or invoice a few cents; the minimum-charge tests set the real 50 (0.50) for their own app.
process.env.MINIMUM_CHARGE_MINOR_UNITS ??= '1';
