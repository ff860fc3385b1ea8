import { HttpException } from '@nestjs/common';
import { DomainError, ERROR_STATUS, type ErrorCode } from './domain-errors';
import { errorEnvelope, type ErrorBody } from '../http/envelope';
import { isDatabaseUnavailable } from './database-unavailable';

/** Seconds a client is told to wait after the database turned a request away (pool, timeouts). */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

export interface MappedError {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** true when the failure is ours (5xx): log it with its stack. */
  unexpected: boolean;
  /** true when the database turned the request away (pool exhausted, timeout): worth a warning, not a stack. */
  overloaded?: boolean;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'invalid_request',
  401: 'authentication_error',
  403: 'authorization_error',
  404: 'not_found',
  409: 'conflict',
  422: 'validation_error',
  429: 'rate_limit_exceeded',
  503: 'service_unavailable',
};

/** Messages for errors the HTTP layer raises before any route runs (body parsing, routing). */
function frameworkMessage(err: { code?: string; message: string; cause?: { code?: string } }, status: number): string {
  // Nest re-throws Fastify's body-parser failure as an HttpException carrying only its message.
  if (/not valid JSON/i.test(err.message ?? '')) return 'Request body is not valid JSON';
  switch (err.code ?? err.cause?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'Request body is not valid JSON';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported Content-Type; send application/json';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'Request body is too large';
    default:
      return status === 404 ? 'Resource not found' : 'Invalid request';
  }
}

/**
 * Turns anything thrown while serving a request into the error envelope. Only DomainErrors and
 * 4xx framework errors reach the client with their message; everything else is a generic 500.
 */
export function mapError(err: unknown, requestId: string, route?: string): MappedError {
  if (err instanceof DomainError) {
    return {
      status: err.status,
      body: errorEnvelope(requestId, err.code, err.message, err.field, err.details),
      headers: err.headers,
      unexpected: false,
    };
  }

  const status = statusOf(err);
  if (status !== undefined && status >= 400 && status < 500) {
    const code = CODE_BY_STATUS[status] ?? 'invalid_request';
    const message =
      err instanceof HttpException && status === 404 && route
        ? `No route matches ${route}`
        : err instanceof HttpException && status !== 400
          ? messageOf(err)
          : frameworkMessage(err as { code?: string; message: string }, status);
    return { status, body: errorEnvelope(requestId, code, message), headers: {}, unexpected: false };
  }
  if (status === 503) {
    return { status, body: errorEnvelope(requestId, 'service_unavailable', 'Service temporarily unavailable'), headers: {}, unexpected: false };
  }
  if (isDatabaseUnavailable(err)) {
    return {
      status: ERROR_STATUS.service_unavailable,
      body: errorEnvelope(
        requestId,
        'service_unavailable',
        `The service is busy and could not complete the request in time; retry after ${DATABASE_RETRY_AFTER_SECONDS} s`,
      ),
      headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
      unexpected: false,
      overloaded: true,
    };
  }
  return {
    status: ERROR_STATUS.server_error,
    body: errorEnvelope(requestId, 'server_error', 'An unexpected error occurred; quote the request id when reporting it'),
    headers: {},
    unexpected: true,
  };
}

function statusOf(err: unknown): number | undefined {
  if (err instanceof HttpException) return err.getStatus();
  const candidate = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof candidate === 'number' ? candidate : undefined;
}

function messageOf(err: HttpException): string {
  const response = err.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return typeof message === 'string' ? message : err.message;
}
