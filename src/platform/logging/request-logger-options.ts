import type { IncomingMessage } from 'node:http';
import type { Options as PinoHttpOptions } from 'pino-http';
import type { AppConfig } from '../../config/config';
import { traceLogFields } from '../tracing/tracing';
import { redactSecretFields, redactSetCookie } from './redact-fields';
import { redactUrl } from './redact-url';

/**
 * pino-http's settings for both processes: JSON lines, every line logged while serving a request
 * carries its request_id, and no secret reaches a line. URLs are logged through `redactUrl`
 * (hosted-page tokens, credential-like query values); no request header is logged at all; a
 * response's Set-Cookie and a redirect's Location are blanked; and every finished line passes
 * through `redactSecretFields` (`{ body: { password } }` and the like).
 */
export function requestLoggerOptions(config: Pick<AppConfig, 'LOG_LEVEL'>): PinoHttpOptions {
  return {
    level: config.LOG_LEVEL,
    genReqId: (req) => req.id ?? 'unknown',
    customAttributeKeys: { reqId: 'request_id' },
    quietReqLogger: true,
    // trace_id/span_id of the active span (when tracing is on) in every line, to find a log line's trace and back.
    mixin: traceLogFields,
    // Instead of pino's `redact` paths, which cloned every object of every line and re-parsed the
    // paths on each call (~8% of a trivial request's CPU in bench/RESULTS.md).
    hooks: { streamWrite: redactSecretFields },
    autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') || req.url === '/metrics' },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
      res: (res: { statusCode: number; headers?: Record<string, unknown> }) => ({
        statusCode: res.statusCode,
        headers: redactSetCookie(redactLocation(res.headers)),
      }),
    },
  };
}

/** A redirect may point at a hosted page (`Location: /pay/{token}`): log it redacted too. */
function redactLocation(headers: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!headers || typeof headers.location !== 'string') return headers;
  return { ...headers, location: redactUrl(headers.location) };
}
