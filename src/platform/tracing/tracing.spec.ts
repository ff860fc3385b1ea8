import { ROOT_CONTEXT } from '@opentelemetry/api';
import {
  bindToActiveContext, contextFromTraceparent, currentTraceparent, serviceName, traceLogFields, tracingEnabled, tracingMode, withSpan,
} from './tracing';

describe('tracingMode', () => {
  it('is off unless a collector is named or the console exporter is asked for', () => {
    expect(tracingMode({})).toBe('off');
    expect(tracingMode({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe('otlp');
    expect(tracingMode({ OTEL_TRACES_EXPORTER: 'console' })).toBe('console');
    expect(tracingMode({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' })).toBe('off');
  });
});

describe('serviceName', () => {
  it('names the process by its entry point unless configured', () => {
    expect(serviceName({}, '/app/dist/src/worker.js')).toBe('cbapi-worker');
    expect(serviceName({}, '/app/src/worker.ts')).toBe('cbapi-worker');
    expect(serviceName({}, '/app/dist/src/main.js')).toBe('cbapi-api');
    expect(serviceName({}, undefined)).toBe('cbapi-api');
    expect(serviceName({ OTEL_SERVICE_NAME: 'shop-api' }, '/app/src/worker.ts')).toBe('shop-api');
  });
});

describe('helpers with tracing off (the default)', () => {
  it('record nothing and cost a plain call', async () => {
    expect(tracingEnabled()).toBe(false);
    expect(currentTraceparent()).toBeNull();
    expect(contextFromTraceparent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')).toBe(ROOT_CONTEXT);
    expect(traceLogFields()).toEqual({});
    const fn = () => 1;
    expect(bindToActiveContext(fn)).toBe(fn);
    await expect(withSpan('x', {}, async () => 42)).resolves.toBe(42);
    await expect(withSpan('x', {}, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
  });
});
