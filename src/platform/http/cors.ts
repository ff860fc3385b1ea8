import fastifyCors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface CorsSettings {
  /** Exact origins allowed to call the API from a browser. */
  origins: readonly string[];
  /** Those of them whose requests may carry cookies (the refresh-token cookie transport). */
  credentialsOrigins: readonly string[];
  /** Endpoints outside /api/v1 whose allowed origins are data, not configuration (the OAuth endpoints). */
  dataDriven?: DataDrivenCors;
}

/**
 * Endpoints whose CORS origins come from data (a public OAuth client's registered origins). Only the
 * route knows, once it has read the body, which record a real request is about, so it writes that
 * answer's CORS headers itself; a preflight carries no body, so it is answered here, before routing
 * (no guard, no rate-limit bucket), when `allows` accepts the origin for any record.
 */
export interface DataDrivenCors {
  readonly paths: readonly string[];
  readonly methods: readonly string[];
  readonly allowedHeaders: readonly string[];
  allows(origin: string, requestId: string): Promise<boolean>;
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

/** The answer to a preflight for a data-driven endpoint from an origin its data accepts: no credentials. */
export function dataDrivenPreflightOptions(dataDriven: DataDrivenCors, origin: string): FastifyCorsOptions {
  return {
    origin,
    credentials: false,
    methods: [...dataDriven.methods],
    allowedHeaders: [...dataDriven.allowedHeaders],
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    preflight: true,
    strictPreflight: true,
  };
}

function isDataDrivenPreflight(dataDriven: DataDrivenCors | undefined, request: Pick<FastifyRequest, 'url' | 'method' | 'headers'>): dataDriven is DataDrivenCors {
  const path = request.url.split('?')[0].replace(/\/+$/, '');
  return !!dataDriven && request.method === 'OPTIONS' && !!request.headers.origin && dataDriven.paths.includes(path);
}

/** Registers @fastify/cors with the per-request options above. */
export async function registerCors(fastify: FastifyInstance, settings: CorsSettings): Promise<void> {
  await fastify.register(fastifyCors, {
    hook: 'onRequest',
    delegator: (request, callback) => {
      const { dataDriven } = settings;
      if (!isDataDrivenPreflight(dataDriven, request)) return callback(null, corsOptionsFor(settings, request));
      const origin = request.headers.origin!;
      // A lookup that fails answers like an unknown origin: no CORS header, never a 500 to a preflight.
      dataDriven.allows(origin, String(request.id)).catch(() => false).then((allowed) => {
        callback(null, allowed ? dataDrivenPreflightOptions(dataDriven, origin) : { origin: false });
      });
    },
  });
}
