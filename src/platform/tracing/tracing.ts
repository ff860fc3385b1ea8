import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context } from '@opentelemetry/api';
import type { AppConfig } from '../../config/config';

/** Where this process sends its spans; `off` = no SDK, no instrumentation, nothing recorded. */
export type TracingMode = 'off' | 'otlp' | 'console';

export function tracingMode(config: Pick<AppConfig, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_TRACES_EXPORTER'>): TracingMode {
  if (config.OTEL_TRACES_EXPORTER === 'none') return 'off';
  if (config.OTEL_TRACES_EXPORTER === 'console') return 'console';
  return config.OTEL_EXPORTER_OTLP_ENDPOINT ? 'otlp' : 'off';
}

/** service.name: the configured one, else by entry point (the worker's own file, or the API). */
export function serviceName(config: Pick<AppConfig, 'OTEL_SERVICE_NAME'>, entryFile: string | undefined): string {
  if (config.OTEL_SERVICE_NAME) return config.OTEL_SERVICE_NAME;
  return entryFile && /[\\/]worker\.[jt]s$/.test(entryFile) ? 'cbapi-worker' : 'cbapi-api';
}

interface RunningSdk {
  shutdown(): Promise<void>;
}

let running: RunningSdk | undefined;

/**
 * Starts the OpenTelemetry SDK when the config asks for it. It must run before pg, ioredis, http
 * and fastify are first required (their instrumentations patch them at require time), which is
 * why `register.ts` is the first import of main.ts and worker.ts. When tracing is off nothing is
 * loaded: the SDK and exporters are required lazily, and every helper below returns at once.
 */
export function startTracing(config: AppConfig, entryFile: string | undefined): TracingMode {
  const mode = tracingMode(config);
  if (mode === 'off' || running) return running ? mode : 'off';
  // Lazy on purpose: the SDK and its exporters cost ~100 ms of startup and memory a process without tracing does not need.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous: it must run before instrumented modules load
  const { startSdk } = require('./sdk') as typeof import('./sdk');
  running = startSdk({ mode, serviceName: serviceName(config, entryFile), endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  return mode;
}

export function tracingEnabled(): boolean {
  return running !== undefined;
}

/** Exports what is buffered and stops the SDK (the process is going away). */
export async function shutdownTracing(): Promise<void> {
  const sdk = running;
  running = undefined;
  await sdk?.shutdown();
}

/** The W3C traceparent of the active span, to store with work that continues later (an outbox event); null when not tracing. */
export function currentTraceparent(): string | null {
  if (!running) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/** The context a stored traceparent continues (the root context when there is none). */
export function contextFromTraceparent(traceparent: string | null | undefined): Context {
  if (!running || !traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent });
}

const tracer = trace.getTracer('cbapi');

/**
 * Runs `fn` inside a new span (a child of `parent`, else of the active span) and ends it when
 * `fn` settles, recording a thrown error. Without tracing it is a plain call.
 */
export function withSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes; parent?: Context },
  fn: () => Promise<T>,
): Promise<T> {
  if (!running) return fn();
  return tracer.startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, options.parent ?? context.active(), async (span) => {
    try {
      return await fn();
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** `fn` bound to the active context, so work run later (after a commit) stays in this trace. */
export function bindToActiveContext<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return running ? context.bind(context.active(), fn) : fn;
}

/**
 * `fn` run in the root context: for shared work a request merely happens to start (a round trip
 * that many requests wait on), which belongs to no one request's trace.
 */
export function outsideTraces<T>(fn: () => T): T {
  return running ? context.with(ROOT_CONTEXT, fn) : fn();
}

/** Fields every log line carries while a span is active (pino mixin): the trace and span ids. */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  if (!running) return {};
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** Names the active HTTP server span by its route template (`POST /api/v1/products/:id`) and records http.route. */
export function nameServerSpan(method: string, route: string | undefined): void {
  if (!running || !route) return;
  const span = trace.getActiveSpan();
  if (!span) return;
  span.setAttribute('http.route', route);
  span.updateName(`${method} ${route}`);
}

export { SpanKind };
