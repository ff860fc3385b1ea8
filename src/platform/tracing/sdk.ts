import type { IncomingMessage } from 'node:http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';

/** Probes and scrapes are not worth a trace each. */
const UNTRACED_PATHS = /^\/(health\/|metrics$)/;

/**
 * The Node SDK with the http (server and client: Fastify serves through node:http), pg and
 * ioredis instrumentations; BullMQ traces through its own telemetry interface (bullmq-telemetry.ts).
 * Loaded only when tracing is on (tracing.ts requires it lazily).
 */
export function startSdk(options: { mode: 'otlp' | 'console'; serviceName: string; endpoint?: string }): NodeSDK {
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    // `console` lets the SDK build its console exporter from OTEL_TRACES_EXPORTER (printed as each span ends).
    ...(options.mode === 'otlp' ? { traceExporter: new OTLPTraceExporter({ url: `${options.endpoint!.replace(/\/+$/, '')}/v1/traces` }) } : {}),
    // Traces only: without these the SDK would also start OTLP metric and log exporters from the environment.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.test((request.url ?? '').split('?')[0]),
      }),
      // Spans only under a request or job: the pollers (outbox relay, BullMQ's blocking reads) would otherwise make a trace each.
      new PgInstrumentation({ requireParentSpan: true }),
      // Command names only: arguments may carry keys and payloads.
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command: string) => command }),
    ],
  });
  sdk.start();
  return sdk;
}
