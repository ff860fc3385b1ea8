import fastifyCors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface CorsSettings {
  /** Exact origins allowed to call the API from a browser. */
  origins: readonly string[];
  /** Those of them whose requests may carry cookies (the refresh-token cookie transport). */
  credentialsOrigins: readonly string[];
}

export const CORS_ALLOWED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id', 'X-CSRF-Token', 'X-Refresh-Token-Transport'];
/** Response headers a page may read besides the CORS-safelisted ones. */
export const CORS_EXPOSED_HEADERS = ['X-Request-Id', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After', 'Idempotent-Replayed', 'Warning'];
/** How long a browser may cache a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

const API_PATH = /^\/api\/v1(\/|\?|$)/;

/**
 * The CORS answer for one request: only /api/v1 takes part (the hosted pages and /docs keep their
 * own, same-origin rules), and only for an origin on the allow-list. Anything else gets no CORS
 * header at all, so the browser refuses the response — and a preflight from it is not answered.
 */
export function corsOptionsFor(settings: CorsSettings, request: Pick<FastifyRequest, 'url' | 'headers'>): FastifyCorsOptions {
  const origin = request.headers.origin;
  if (!origin || !API_PATH.test(request.url) || !settings.origins.includes(origin)) return { origin: false };
  return {
    origin,
    credentials: settings.credentialsOrigins.includes(origin),
    methods: CORS_ALLOWED_METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    // The preflight is answered in the onRequest hook, before routing: no guard runs, so it needs
    // no credential and is never counted against a rate-limit bucket.
    preflight: true,
    strictPreflight: true,
  };
}

/** Registers @fastify/cors with the per-request options above. */
export async function registerCors(fastify: FastifyInstance, settings: CorsSettings): Promise<void> {
  await fastify.register(fastifyCors, {
    hook: 'onRequest',
    delegator: (request, callback) => callback(null, corsOptionsFor(settings, request)),
  });
}
