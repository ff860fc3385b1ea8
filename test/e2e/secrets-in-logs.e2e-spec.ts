import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Global, Module } from '@nestjs/common';
import request from 'supertest';
import { LOG_DESTINATION } from '../../src/platform/logging/logging.module';
import { startTestApp, type TestApp } from '../support/app';
import { signUpTenant, type TenantFixture } from '../support/factories';
import { ownerDb } from '../support/owner-db';
import { waitFor } from '../support/wait';

/** Every log line the app writes, as written (pino's destination is this stream). */
const captured: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    captured.push(String(chunk));
    done();
  },
});

@Global()
@Module({ providers: [{ provide: LOG_DESTINATION, useValue: sink }], exports: [LOG_DESTINATION] })
class CaptureLogsModule {}

const token43 = () => randomBytes(32).toString('base64url');

describe('no token or secret in logs or stored idempotent responses (e2e, logs captured)', () => {
  let t: TestApp;
  let owner: TenantFixture;
  const saved = { LOG_LEVEL: process.env.LOG_LEVEL, OPERATOR_TENANT_ID: process.env.OPERATOR_TENANT_ID };

  beforeAll(async () => {
    // nestjs-pino keeps ONE root logger per process, built by the first app: both apps here
    // capture. The second starts with the dashboard, which needs the operator tenant's id.
    process.env.LOG_LEVEL = 'info';
    const setup = await startTestApp({ extraModules: [CaptureLogsModule] });
    owner = await signUpTenant(setup.http, 'Log shop');
    await setup.close();
    process.env.OPERATOR_TENANT_ID = owner.tenantId;
    t = await startTestApp({ extraModules: [CaptureLogsModule] });
  });
  afterAll(async () => {
    await t?.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('logs requests to token-bearing URLs with the token redacted, and replays still hand back the secrets', async () => {
    const server = t.app.getHttpServer();
    const payToken = token43();
    const checkoutToken = token43();
    await request(server).get(`/pay/${payToken}`);
    await request(server).get(`/r/${checkoutToken}`);
    const dashboard = await request(server).get(`/admin/queues?token=${encodeURIComponent(owner.accessToken)}`);
    expect(dashboard.status).toBe(302); // accepted: the token moves into a cookie
    await request(server).get(`/api/v1/products?api_key=ck_live_in_query_${payToken}&page=1`);

    // Secret-bearing creations with an Idempotency-Key, then a replay of each.
    const keyBody = { name: 'ci key', mode: 'live', access: 'read_write' };
    const created = await t.http.post('/api/v1/api-keys', keyBody, { token: owner.accessToken, headers: { 'Idempotency-Key': 'log-key-1' } });
    expect(created.status).toBe(201);
    const replayed = await t.http.post('/api/v1/api-keys', keyBody, { token: owner.accessToken, headers: { 'Idempotency-Key': 'log-key-1' } });
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body.data.secret).toBe(created.body.data.secret);

    const hookBody = { url: 'http://127.0.0.1:9/hook', events: ['order.created'] };
    const hook = await t.http.post('/api/v1/webhooks', hookBody, { token: owner.accessToken, headers: { 'Idempotency-Key': 'log-hook-1' } });
    expect(hook.status).toBe(201);
    const hookAgain = await t.http.post('/api/v1/webhooks', hookBody, { token: owner.accessToken, headers: { 'Idempotency-Key': 'log-hook-1' } });
    expect(hookAgain.headers['idempotent-replayed']).toBe('true');
    expect(hookAgain.body.data.secret).toBe(hook.body.data.secret);

    const lastRequest = String(hookAgain.headers['x-request-id']);
    await waitFor('pino to write the last response line', () => captured.some((line) => line.includes(lastRequest) && line.includes('"statusCode"')), 5000, 10);
    const logs = captured.join('');
    const secrets = {
      payToken,
      checkoutToken,
      accessToken: owner.accessToken,
      refreshToken: owner.refreshToken,
      apiKeySecret: created.body.data.secret as string,
      webhookSecret: hook.body.data.secret as string,
    };
    // The requests that reach the request logger are logged with their credentials blanked (so
    // the absence below means something). The hosted pages and the dashboard are logged when
    // they run as Nest routes; any line that names them must show the redacted form.
    expect(logs).toContain('"url":"/api/v1/products?api_key=[redacted]&page=1"');
    expect(logs).toContain('"url":"/api/v1/api-keys"');
    for (const line of logs.split('\n')) {
      if (line.includes('"/pay/')) expect(line).toContain('/pay/[redacted]');
      if (line.includes('"/r/')) expect(line).toContain('/r/[redacted]');
      if (line.includes('/admin/queues?')) expect(line).toContain('/admin/queues?token=[redacted]');
    }
    // ... and no credential appears anywhere in them.
    for (const [name, value] of Object.entries(secrets)) {
      expect({ name, found: logs.includes(value) }).toEqual({ name, found: false });
    }
    expect(logs).not.toContain('ck_live_in_query_');

    // The stored idempotent responses hold neither secret in plain text.
    const rows: { key: string; stored: string }[] = await (await ownerDb())
      .query(`SELECT key, response_body::text AS stored FROM idempotency_keys WHERE tenant_id = $1 ORDER BY key`, [owner.tenantId]);
    expect(rows.map((r) => r.key)).toEqual(['log-hook-1', 'log-key-1']);
    for (const row of rows) {
      expect(row.stored).not.toContain(secrets.apiKeySecret);
      expect(row.stored).not.toContain(secrets.webhookSecret);
      expect(row.stored).not.toMatch(/ck_live_|whsec_/);
      expect(JSON.parse(row.stored)).toMatchObject({ sealed: 'aes-256-gcm:v1' });
    }
  });
});
