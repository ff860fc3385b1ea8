/**
 * Where tests find PostgreSQL and Redis: TEST_DATABASE_URL / TEST_REDIS_URL. The e2e global setup
 * (test-services.ts) always sets both — to the local services, or to the ones it started — before
 * any test process reads them; the fallbacks serve scripts run without it.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? `postgres://postgres@127.0.0.1:${process.env.TEST_PG_PORT ?? 5432}/cbapi_test`;
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? `redis://127.0.0.1:${process.env.TEST_REDIS_PORT ?? 6379}/5`;

/** The runtime role's URL beside an owner URL (cbapi_app, no password: local trust). */
export function runtimeUrlFor(ownerUrl: string): string {
  return Object.assign(new URL(ownerUrl), { username: 'cbapi_app', password: '' }).toString();
}

/**
 * The app under test connects as the runtime role (cbapi_app, no password: local trust), as in
 * production; TEST_DATABASE_URL is the owner's, for migrations and for tests that inspect rows.
 */
export const TEST_RUNTIME_DATABASE_URL = process.env.TEST_RUNTIME_DATABASE_URL ?? runtimeUrlFor(TEST_DATABASE_URL);
