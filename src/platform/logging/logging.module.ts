import type { IncomingMessage } from 'node:http';
import { Module } from '@nestjs/common';
import { LoggerModule, type Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { ConfigModule } from '../../config/config.module';
import { traceLogFields } from '../tracing/tracing';
import { TracingModule } from '../tracing/tracing.module';
import { redactUrl } from './redact-url';

/** Paths pino blanks in every log line, so secrets and card data never reach the logs. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.access_token',
  '*.refresh_token',
  '*.secret',
  '*.card',
  '*.cvc',
];

/**
 * Optional provider (from a global module) of the stream log lines are written to; unset =
 * stdout. Tests capture the logs through it.
 */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

/**
 * JSON logs through pino; every line logged while serving a request carries its request_id.
 * URLs are logged through `redactUrl`: hosted-page tokens (`/pay/{token}`, `/r/{token}`) and
 * credential-like query values (`/admin/queues?token=…`) never reach a log line.
 * TracingModule rides along: both processes log through here, and it flushes their spans on shutdown.
 */
@Module({
  imports: [
    TracingModule,
    LoggerModule.forRootAsync({
      imports: [ConfigModule],
      inject: [APP_CONFIG, { token: LOG_DESTINATION, optional: true }],
      useFactory: (config: AppConfig, destination?: DestinationStream): Params => {
        const options: PinoHttpOptions = {
          level: config.LOG_LEVEL,
          genReqId: (req) => req.id ?? 'unknown',
          customAttributeKeys: { reqId: 'request_id' },
          quietReqLogger: true,
          // trace_id/span_id of the active span (when tracing is on) in every line, to find a log line's trace and back.
          mixin: traceLogFields,
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') || req.url === '/metrics' },
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
            res: (res: { statusCode: number; headers?: Record<string, unknown> }) => ({
              statusCode: res.statusCode,
              headers: redactLocation(res.headers),
            }),
          },
        };
        return { pinoHttp: destination ? [options, destination] : options };
      },
    }),
  ],
})
export class LoggingModule {}

/** A redirect may point at a hosted page (`Location: /pay/{token}`): log it redacted too. */
function redactLocation(headers: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!headers || typeof headers.location !== 'string') return headers;
  return { ...headers, location: redactUrl(headers.location) };
}
