import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { RollupsService } from '../src/modules/analytics/rollups.service';
import { RequestContext } from '../src/platform/context/request-context';
import { exited, spawnProcess } from '../test/support/processes';
import { generateOrders } from './analytics-dataset';
import { percentile } from './database';
import { startBenchApp, type Answer } from './http-app';

const BURST = 1000;
const SAMPLES = 100;

async function timed(label: string, work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  console.log(`  ${label}: ${seconds.toFixed(1)} s`);
  return seconds;
}

/**
 * Issue 20: the four report routes over one tenant with BENCH_ANALYTICS_ORDERS orders (default
 * 1,000,000) over two years, beside two noise tenants, and the rollup lag after a burst of 1,000
 * orders through the API with the worker in its own process. Report latency is measured one
 * request at a time (p50/p95 of 100); the baseline is `GET /categories` in the same run.
 */
export async function benchAnalytics(): Promise<void> {
  const orders = Number(process.env.BENCH_ANALYTICS_ORDERS ?? 1_000_000);
  const noise = Number(process.env.BENCH_ANALYTICS_NOISE_ORDERS ?? Math.round(orders / 10));
  process.env.QUEUE_PREFIX = `cbapibench${process.pid}`;
  const bench = await startBenchApp();
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  const auth = { authorization: `Bearer ${bench.apiKey}` };
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${bench.base}${path}`, { ...init, headers: { 'content-type': 'application/json', ...auth, ...(init.headers ?? {}) } });
  let worker: ReturnType<typeof spawnProcess> | undefined;
  try {
    console.log(`\n### Analytics: ${orders.toLocaleString('en')} orders in one tenant, 2 noise tenants × ${noise.toLocaleString('en')}\n`);
    const noiseTenants: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = (await fetch(`${bench.base}/api/v1/tenants`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Noise ${i}`, email: `noise-${randomUUID()}@example.test`, password: 'bench-password' }),
      }).then((r) => r.json())) as Answer<'SignUpResult'>;
      noiseTenants.push(res.data.tenant.id);
    }
    const build = await timed('orders, lines and facts (set-based SQL)', async () => {
      await generateOrders(pool, bench.tenantId, 'live', orders, 'b_');
      for (const [i, id] of noiseTenants.entries()) await generateOrders(pool, id, 'live', noise, `n${i}_`);
    });
    const rollups = bench.app.get(RollupsService);
    const recompute = await timed('rollups recomputed from the facts (rebuild statements)', async () => {
      for (const id of [bench.tenantId, ...noiseTenants]) await rollups.recomputeAll(RequestContext.system('bench', id, 'live'));
      await pool.query('ANALYZE');
    });

    const routes: [string, () => Promise<Response>][] = [
      ['baseline: GET /categories', () => api('/api/v1/categories')],
      ['GET /analytics/sales (day, last 30 days)', () => api('/api/v1/analytics/sales?period=day')],
      ['GET /analytics/sales (month, 2 years, Europe/Berlin)', () => api('/api/v1/analytics/sales?period=month&start_date=' + daysAgo(729) + '&timezone=Europe/Berlin')],
      ['GET /analytics/sales (week, 90 days, group_by=product)', () => api('/api/v1/analytics/sales?period=week&group_by=product&start_date=' + daysAgo(89))],
      ['GET /analytics/products (90 days, top 10)', () => api('/api/v1/analytics/products?start_date=' + daysAgo(89))],
      ['GET /analytics/customers (30 days)', () => api('/api/v1/analytics/customers')],
      ['POST /analytics/custom (month × country, 365 days)', () => api('/api/v1/analytics/custom', {
        method: 'POST', body: JSON.stringify({ dimensions: ['month', 'country'], measures: ['revenue', 'orders', 'avg_order_value'], filters: { date_range: 'last_365_days' } }),
      })],
    ];
    const only = process.env.BENCH_ANALYTICS_ROUTES?.split(',');
    const measured = routes.filter(([label], i) => i === 0 || !only || only.some((word) => label.includes(word)));
    for (let round = 1; round <= Number(process.env.BENCH_ANALYTICS_REPEAT ?? 1); round++) await measureRoutes(measured, round);
    if (process.env.BENCH_ANALYTICS_LAG === 'off') return;

    // Rollup lag: the worker (its own process) relays the order events into the rollups.
    worker = spawnProcess('worker', { DATABASE_URL: process.env.DATABASE_URL!, REDIS_URL: process.env.REDIS_URL!, QUEUE_PREFIX: process.env.QUEUE_PREFIX!, LOG_LEVEL: 'silent', OUTBOX_POLL_MS: '200' });
    const product = (await (await api('/api/v1/products', { method: 'POST', body: JSON.stringify({ name: 'Burst item', sku: `BURST-${Date.now()}`, price: 1999 }) })).json()) as Answer<'Product'>;
    const location = (await (await api('/api/v1/locations', { method: 'POST', body: JSON.stringify({ name: 'Main', code: 'MAIN' }) })).json()) as Answer<'Location'>;
    await api(`/api/v1/inventory/${product.data.id}/adjust`, { method: 'POST', body: JSON.stringify({ quantity: 100_000, reason: 'received', location: location.data.id }) });
    const customer = (await (await api('/api/v1/customers', { method: 'POST', body: JSON.stringify({ email: 'burst@example.test', first_name: 'Bu', last_name: 'Rst' }) })).json()) as Answer<'Customer'>;
    const body = JSON.stringify({ customer_id: customer.data.id, items: [{ product_id: product.data.id, quantity: 1 }], shipping_address: { line1: '1 Main St', city: 'X', postal_code: '1', country: 'US', region: 'NY' } });
    // The worker is up once it has relayed the setup's events: the burst measures relaying, not its boot.
    for (const deadline = Date.now() + 120_000; ; await new Promise((r) => setTimeout(r, 100))) {
      if (Number((await pool.query(`SELECT count(*) FROM events WHERE relayed_at IS NULL`)).rows[0].count) === 0) break;
      if (Date.now() > deadline) throw new Error('the worker did not relay the setup events in 120 s');
    }
    const committed = new Map<string, number>();
    const seen = new Map<string, number>();
    const burstStart = performance.now();
    let polling = true;
    const poller = (async () => {
      while (polling || seen.size < committed.size) {
        const ids = [...committed.keys()].filter((id) => !seen.has(id));
        if (ids.length > 0) {
          const rows = await pool.query(`SELECT order_id FROM analytics_order_facts WHERE tenant_id = $1 AND mode = 'live' AND order_id = ANY($2)`, [bench.tenantId, ids]);
          const now = performance.now();
          for (const r of rows.rows) seen.set(r.order_id, now);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    for (let i = 0; i < BURST / 20; i++) {
      await Promise.all(Array.from({ length: 20 }, async () => {
        const res = (await (await api('/api/v1/orders', { method: 'POST', body })).json()) as Answer<'Order'>;
        committed.set(res.data.id, performance.now());
      }));
    }
    const lastCommit = performance.now();
    polling = false;
    await Promise.race([poller, new Promise((_, reject) => setTimeout(() => reject(new Error('rollups did not catch up in 120 s')), 120_000))]);
    const lags = [...committed].map(([id, at]) => seen.get(id)! - at).sort((a, b) => a - b);
    const caughtUp = Math.max(...seen.values()) - lastCommit;
    console.log(`\n| rollup lag, burst of ${BURST} orders (20 in flight, ${((lastCommit - burstStart) / 1000).toFixed(1)} s) | ms |`);
    console.log('|---|---|');
    console.log(`| per order, p50 | ${percentile(lags, 50).toFixed(0)} |`);
    console.log(`| per order, p95 | ${percentile(lags, 95).toFixed(0)} |`);
    console.log(`| last order committed → every order in the rollups | ${caughtUp.toFixed(0)} |`);
    console.log(`\n(dataset built in ${build.toFixed(0)} s, rollups in ${recompute.toFixed(0)} s)`);
  } finally {
    if (worker) {
      worker.kill('SIGTERM');
      await exited(worker);
    }
    await pool.end();
    await bench.app.close();
  }
}

/** p50/p95 of SAMPLES sequential requests per route after 5 warm-ups; the first route is the baseline. */
async function measureRoutes(routes: [string, () => Promise<Response>][], round: number): Promise<void> {
  console.log(`\n| route (round ${round}) | p50 ms | p95 ms | max ms | p95 vs baseline |`);
  console.log('|---|---|---|---|---|');
  let baseline = 0;
  for (const [label, call] of routes) {
    for (let i = 0; i < 5; i++) await (await call()).arrayBuffer();
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const started = performance.now();
      const res = await call();
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${label}: ${res.status}`);
      samples.push(performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    const p95 = percentile(samples, 95);
    if (baseline === 0) baseline = p95;
    console.log(`| ${label} | ${percentile(samples, 50).toFixed(1)} | ${p95.toFixed(1)} | ${samples[samples.length - 1].toFixed(1)} | ${(p95 / baseline).toFixed(1)}× |`);
  }
}

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}
