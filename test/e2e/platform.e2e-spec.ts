import request from 'supertest';
import { loadSpec } from '../../src/platform/openapi/spec-file';
import { startTestApp, type TestApp } from '../support/app';

describe('platform (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers liveness and readiness', async () => {
    expect((await t.http.get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await t.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toMatchObject({ database: 'up', redis: 'up' });
  });

  it('answers an unknown route with the 404 envelope and a request id', async () => {
    const res = await t.http.get('/api/v1/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_found', message: 'No route matches GET /api/v1/does-not-exist' });
    expect(res.body.error.request_id).toMatch(/^req_/);
    expect(res.headers['x-request-id']).toBe(res.body.error.request_id);
  });

  it('echoes a safe incoming request id and replaces an unsafe one', async () => {
    const echoed = await t.http.get('/api/v1/nothing-here', { headers: { 'X-Request-Id': 'client-trace-42' } });
    expect(echoed.headers['x-request-id']).toBe('client-trace-42');
    expect(echoed.body.meta.request_id).toBe('client-trace-42');
    const replaced = await t.http.get('/health/live', { headers: { 'X-Request-Id': 'bad id with spaces' } });
    expect(replaced.headers['x-request-id']).toMatch(/^req_/);
  });

  // The docs routes serve the spec itself, so they are checked against the file, not through the client.
  it('serves the checked-in spec and Swagger UI', async () => {
    const server = t.app.getHttpServer();
    const json = await request(server).get('/docs/openapi.json');
    expect(json.status).toBe(200);
    expect(json.body).toEqual(loadSpec());
    const yaml = await request(server).get('/docs/openapi.yaml');
    expect(yaml.status).toBe(200);
    expect(yaml.text).toContain('openapi: 3.1.0');
    const ui = await request(server).get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('exposes Prometheus metrics by route template', async () => {
    await t.http.get('/health/live');
    const res = await t.http.get('/metrics');
    expect(res.text).toMatch(/http_requests_total\{method="GET",route="\/health\/live",status="200"\} \d+/);
    expect(res.text).toContain('http_request_duration_seconds_bucket');
    expect(res.text).toMatch(/queue_jobs\{queue="webhooks",state="waiting"\} \d+/);
    expect(res.text).toMatch(/queue_job_outcomes_total\{queue="system",outcome="completed"\} \d+/);
  });
});
