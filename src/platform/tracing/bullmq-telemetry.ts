import type { Telemetry } from 'bullmq';
import { tracingEnabled } from './tracing';

let telemetry: Telemetry | undefined;

/**
 * BullMQ's telemetry (bullmq-otel) when tracing is on, else undefined (BullMQ then skips every
 * span). A job carries its producer's trace context in its options, so the worker's `process`
 * span continues the trace of whoever enqueued it (the outbox relay, continuing the API request).
 */
export function bullmqTelemetry(): Telemetry | undefined {
  if (!tracingEnabled()) return undefined;
  if (!telemetry) {
    // Loaded only when tracing is on, synchronously (queues are built at module init).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { BullMQOtel } = require('bullmq-otel') as typeof import('bullmq-otel');
    telemetry = new BullMQOtel({ tracerName: 'bullmq' }) as unknown as Telemetry;
  }
  return telemetry;
}
