import { randomUUID } from 'node:crypto';
import { runCli } from '../../src/cli/cli';
import { startTestApp, type TestApp } from '../support/app';
import { AnalyticsShop } from '../support/analytics-fixtures';
import { ownerDb } from '../support/owner-db';
import type { Schemas } from '../support/typed-api';

describe('operator CLI (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('tenant:create prints a live and a test key that work on their modes', async () => {
    const out: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    let code: number;
    try {
      code = await runCli(['tenant:create', '--name', 'CLI shop', '--email', `ops-${randomUUID()}@example.test`, '--password', 'operator-pass-1']);
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(0);
    const text = out.join('');
    const live = /live key (ck_live_\S+)/.exec(text)?.[1];
    const test = /test key (ck_test_\S+)/.exec(text)?.[1];
    expect(live).toBeDefined();
    expect(test).toBeDefined();
    const liveMe = await t.http.get('/api/v1/auth/me', { token: live });
    expect(liveMe.body.data).toMatchObject({ kind: 'api_key', mode: 'live' });
    const testMe = await t.http.get('/api/v1/auth/me', { token: test });
    expect(testMe.body.data.mode).toBe('test');
    expect(testMe.body.data.tenant.id).toBe(liveMe.body.data.tenant.id);
  });

  it('refuses incomplete arguments', async () => {
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await runCli(['tenant:create', '--name', 'x'])).toBe(2);
      expect(await runCli(['nope'])).toBe(2);
      expect(await runCli(['analytics:rebuild'])).toBe(2);
      expect(await runCli(['analytics:rebuild', '--tenant', 'ten_x', '--mode', 'staging'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
  });

  it('analytics:rebuild recomputes a tenant\'s rollups from its orders', async () => {
    const shop = await new AnalyticsShop(t, await ownerDb()).setUp('Rebuilt shop', 1);
    await shop.order('usd', 2);
    await shop.order('eur', 1);
    const out: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    try {
      expect(await runCli(['analytics:rebuild', '--tenant', shop.tenantId, '--mode', 'test'])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(out.join('')).toMatch(new RegExp(`analytics ${shop.tenantId} test: 2 order\\(s\\) rolled up`));
    const sales = await shop.get('/api/v1/analytics/sales', { metrics: 'revenue,orders' });
    expect(sales.body.data.currencies.map((c: Schemas['SalesCurrencyReport']) => [c.currency, c.totals])).toEqual([['eur', { revenue: 1999, orders: 1 }], ['usd', { revenue: 5000, orders: 1 }]]);
  });
});
