import type { IncomingMessage } from 'node:http';
import { newId } from '../ids/ids';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Reuses a caller's X-Request-Id when it is short and safe to log; otherwise mints `req_…`. */
export function resolveRequestId(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SAFE_REQUEST_ID.test(value) ? value : newId('req');
}

/**
 * Fastify's id generator. The id is also set on the raw request so that the pino-http middleware
 * logs under the same id as Fastify and the envelope.
 */
export function genRequestId(raw: IncomingMessage): string {
  const id = resolveRequestId(raw.headers['x-request-id']);
  (raw as IncomingMessage & { id?: string }).id = id;
  return id;
}
