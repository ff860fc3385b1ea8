/** Where tests find PostgreSQL and Redis: TEST_DATABASE_URL / TEST_REDIS_URL, else the local services. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cbapi_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/5';

/**
 * The app under test connects as the runtime role (cbapi_app, no password: local trust), as in
 * production; TEST_DATABASE_URL is the owner's, for migrations and for tests that inspect rows.
 */
export const TEST_RUNTIME_DATABASE_URL =
  process.env.TEST_RUNTIME_DATABASE_URL ?? Object.assign(new URL(TEST_DATABASE_URL), { username: 'cbapi_app', password: '' }).toString();
