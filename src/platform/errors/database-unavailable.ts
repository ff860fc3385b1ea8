import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';

/**
 * PostgreSQL SQLSTATEs that mean "the database cannot serve this right now", not "the request
 * is wrong": the request may succeed when retried a moment later.
 */
const UNAVAILABLE_SQLSTATES = new Set([
  '57014', // query_canceled: statement_timeout (or an operator's pg_cancel_backend)
  '25P03', // idle_in_transaction_session_timeout: the session was ended
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
]);

/**
 * Failures node-postgres raises without a SQLSTATE: the pool's acquire timeout
 * (connectionTimeoutMillis) and a connection that died under a query (e.g. ended by the
 * idle-in-transaction timeout). pg exposes no code or class for these, so their fixed message
 * texts are the only signal; they are matched here and nowhere else.
 */
const DRIVER_UNAVAILABLE_MESSAGES = [
  /^timeout exceeded when trying to connect$/,
  /^Connection terminated( unexpectedly| due to connection timeout)?$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
];

/** Connection-level errno codes of a socket to the database that failed or was refused. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

interface MaybeDatabaseError {
  code?: unknown;
  message?: unknown;
  driverError?: MaybeDatabaseError;
  cause?: unknown;
}

/**
 * True when `err` (a TypeORM QueryFailedError, a pg DatabaseError, or a pg-pool error) says the
 * database is temporarily unable to serve: a pool exhausted past the acquire timeout, a statement
 * timeout, a session ended while idle in a transaction, a server shutting down or out of
 * connections. Such a request answers 503 with Retry-After instead of 500.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (err === null || typeof err !== 'object' || depth > 3) return false;
  // TypeORM releases a transaction's runner when PostgreSQL ends its session (idle-in-transaction
  // timeout, server restart); the request's next statement then meets one of these errors.
  if (err instanceof QueryRunnerAlreadyReleasedError || err instanceof QueryRunnerProviderAlreadyReleasedError) return true;
  const e = err as MaybeDatabaseError;
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code && (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08') || NETWORK_CODES.has(code))) return true;
  if (!code && typeof e.message === 'string' && DRIVER_UNAVAILABLE_MESSAGES.some((m) => m.test(e.message as string))) return true;
  if (e.driverError && isDatabaseUnavailable(e.driverError, depth + 1)) return true;
  return e.cause !== undefined && isDatabaseUnavailable(e.cause, depth + 1);
}
