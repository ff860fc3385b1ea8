import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RetentionService } from '../../src/modules/retention/retention.service';
import { Clock } from '../../src/platform/clock/clock';
import { newId } from '../../src/platform/ids/ids';
import { startTestApp, type TestApp } from '../support/app';
import { signUpTenant, type TenantFixture } from '../support/factories';
import { ownerDb } from '../support/owner-db';

const DAY = 86_400_000;

/**
 * The clock is set far in the PAST (not the future): the purge spans every tenant, and a cutoff
 * 100+ days back cannot touch what other test files running at the same time create now.
 */
describe('retention job on an injected clock (e2e)', () => {
  let t: TestApp;
  let shop: TenantFixture;
  let db: DataSource;
  let clock: Clock;
  const T = Date.now() - 200 * DAY; // "now" for the job
  const at = (daysFromT: number) => new Date(T + daysFromT * DAY);

  beforeAll(async () => {
    t = await startTestApp();
    shop = await signUpTenant(t.http, 'Retention shop');
    db = await ownerDb(); // raw SQL on tenant tables: the owner, not the app's runtime role (RLS)
    clock = t.app.get(Clock);
  });
  afterAll(async () => {
    clock?.reset();
    await t?.close();
  });

  async function metric(kind: string): Promise<number> {
    const text = (await request(t.app.getHttpServer()).get('/metrics')).text;
    const line = text.split('\n').find((l) => l.startsWith(`retention_rows_deleted_total{kind="${kind}"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  }

  async function present(table: string, ids: string[]): Promise<string[]> {
    const rows: { id: string }[] = await db.query(`SELECT id::text AS id FROM ${table} WHERE id::text = ANY($1)`, [ids]);
    return rows.map((r) => r.id).sort();
  }

  it('deletes in batches what is past its retention, keeps what is recent or still needed, and counts it', async () => {
    const auth = { token: shop.accessToken };
    const endpoint = (await t.http.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['order.created'] }, auth)).body.data.id;
    const customer = (await t.http.post('/api/v1/customers', { email: `c-${randomUUID()}@example.test`, first_name: 'A', last_name: 'B' }, auth))
      .body.data.id;
    const invoice = await t.http.post('/api/v1/invoices', { customer_id: customer, currency: 'usd', lines: [{ description: 'x', quantity: 1, unit_amount: 100 }] }, auth);
    expect(invoice.status).toBe(201);
    const product = (await t.http.post('/api/v1/products', { name: 'Kept', sku: `RET-${randomUUID().slice(0, 8)}`, price: 100 }, auth)).body.data.id;
    const tenant = shop.tenantId;

    // Events: 31 days old and relayed → go; 31 days old, never relayed → stay; 20 days → stay.
    const ev = { old: newId('evt'), unrelayed: newId('evt'), recent: newId('evt') };
    for (const [id, created, relayed] of [[ev.old, at(-31), true], [ev.unrelayed, at(-31), false], [ev.recent, at(-20), true]] as const) {
      await db.query(`INSERT INTO events (id, tenant_id, mode, type, data, relayed_at, created_at) VALUES ($1, $2, 'live', 'order.created', '{"object":{}}', $3, $4)`, [
        id, tenant, relayed ? created : null, created,
      ]);
    }
    // Deliveries: finished and old → go; pending and old → stays; recent → stays. Attempts go by their own age.
    const whd = { old: newId('whd'), pending: newId('whd'), recent: newId('whd') };
    for (const [id, created, status, event] of [
      [whd.old, at(-31), 'succeeded', ev.old], [whd.pending, at(-31), 'pending', ev.unrelayed], [whd.recent, at(-20), 'failed', ev.recent],
    ] as const) {
      await db.query(
        `INSERT INTO webhook_deliveries (id, tenant_id, mode, endpoint_id, event_id, event_type, status, attempts, max_attempts, created_at, updated_at)
         VALUES ($1, $2, 'live', $3, $4, 'order.created', $5, 1, 6, $6, $6)`,
        [id, tenant, endpoint, event, status, created],
      );
    }
    const wha = { ofOld: newId('wha'), ofPending: newId('wha'), recent: newId('wha') };
    for (const [id, delivery, created] of [[wha.ofOld, whd.old, at(-31)], [wha.ofPending, whd.pending, at(-31)], [wha.recent, whd.recent, at(-20)]] as const) {
      await db.query(`INSERT INTO webhook_attempts (id, tenant_id, delivery_id, attempt, status_code, latency_ms, created_at) VALUES ($1, $2, $3, 1, 200, 5, $4)`, [
        id, tenant, delivery, created,
      ]);
    }
    // E-mails: 91 days and sent → go; 91 days and still queued → stays; 60 days → stays.
    const mail = { old: randomUUID(), queued: randomUUID(), recent: randomUUID() }; // dedupe keys
    const mailIds = { old: randomUUID(), queued: randomUUID(), recent: randomUUID() };
    for (const [name, created, status] of [['old', at(-91), 'sent'], ['queued', at(-91), 'queued'], ['recent', at(-60), 'sent']] as const) {
      await db.query(
        `INSERT INTO outbound_emails (id, tenant_id, mode, template, recipients, subject, data, dedupe_key, status, created_at)
         VALUES ($1, $2, 'live', 'invoice', ARRAY['a@example.test'], 's', '{}', $3, $4, $5)`,
        [mailIds[name], tenant, mail[name], status, created],
      );
    }
    // Tokens and links: expired 8 days ago → go; expired 6 days ago → stay.
    const rt = { old: newId('rt'), recent: newId('rt') };
    for (const [id, expires] of [[rt.old, at(-8)], [rt.recent, at(-6)]] as const) {
      await db.query(
        `INSERT INTO refresh_tokens (id, tenant_id, user_id, family_id, mode, token_hash, expires_at, created_at) VALUES ($1, $2, $3, $4, 'live', $5, $6, $6)`,
        [id, tenant, shop.ownerId, newId('fam'), randomUUID(), expires],
      );
    }
    const link = { old: randomUUID(), recent: randomUUID() };
    for (const [id, expires] of [[link.old, at(-8)], [link.recent, at(-6)]] as const) {
      await db.query(
        `INSERT INTO checkout_links (id, tenant_id, mode, token_hash, kind, product_id, account_ref_id, expires_at, created_at)
         VALUES ($1, $2, 'live', $3, 'product', $4, 'acct-1', $5, $5)`,
        [id, tenant, randomUUID(), product, expires],
      );
    }
    const quote = { old: newId('rate'), recent: newId('rate') };
    for (const [id, expires] of [[quote.old, at(-8)], [quote.recent, at(-6)]] as const) {
      await db.query(
        `INSERT INTO shipping_rate_quotes (id, tenant_id, mode, carrier, service, amount, currency, destination_country, packages, expires_at, created_at)
         VALUES ($1, $2, 'live', 'sandbox', 'ground', 500, 'usd', 'US', '[]', $3, $3)`,
        [id, tenant, expires],
      );
    }
    // Pay links: an expired, superseded token goes; the invoice's newest stays even when expired
    // (the invoice's hosted_invoice_url is derived from it).
    const [newest] = await db.query(`SELECT id::text AS id FROM invoice_page_tokens WHERE invoice_id = $1`, [invoice.body.data.id]);
    await db.query(`UPDATE invoice_page_tokens SET expires_at = $2, created_at = $3 WHERE id = $1`, [newest.id, at(-30), at(-40)]);
    const superseded = randomUUID();
    await db.query(
      `INSERT INTO invoice_page_tokens (id, tenant_id, mode, invoice_id, token_hash, nonce, expires_at, created_at) VALUES ($1, $2, 'live', $3, $4, 'n', $5, $6)`,
      [superseded, tenant, invoice.body.data.id, randomUUID(), at(-30), at(-50)],
    );

    const kinds = ['events', 'webhook_deliveries', 'webhook_attempts', 'outbound_emails', 'refresh_tokens', 'checkout_links', 'pay_link_tokens', 'shipping_rate_quotes'];
    const before = Object.fromEntries(await Promise.all(kinds.map(async (k) => [k, await metric(k)] as const)));
    clock.set(new Date(T));
    const deleted = await t.app.get(RetentionService).purge({ batch_size: 1 }); // batches of one: the loop must go on

    expect(deleted).toEqual({
      events: 1, webhook_deliveries: 1, webhook_attempts: 2, outbound_emails: 1, refresh_tokens: 1, checkout_links: 1, pay_link_tokens: 1,
      shipping_rate_quotes: 1, oauth_codes: 0, oauth_tokens: 0, oauth_grants: 0,
    });
    expect(await present('events', Object.values(ev))).toEqual([ev.unrelayed, ev.recent].sort());
    expect(await present('webhook_deliveries', Object.values(whd))).toEqual([whd.pending, whd.recent].sort());
    expect(await present('webhook_attempts', Object.values(wha))).toEqual([wha.recent]);
    expect(await present('outbound_emails', Object.values(mailIds))).toEqual([mailIds.queued, mailIds.recent].sort());
    expect(await present('refresh_tokens', Object.values(rt))).toEqual([rt.recent]);
    expect(await present('checkout_links', Object.values(link))).toEqual([link.recent]);
    expect(await present('shipping_rate_quotes', Object.values(quote))).toEqual([quote.recent]);
    expect(await present('invoice_page_tokens', [newest.id, superseded])).toEqual([newest.id]);
    expect((await t.http.get(`/api/v1/invoices/${invoice.body.data.id}`, auth)).status).toBe(200);
    for (const kind of kinds) expect({ kind, delta: (await metric(kind)) - before[kind] }).toEqual({ kind, delta: deleted[kind] });

    // Eleven days later the "recent" rows have aged out too; a second run on the same day deletes nothing.
    clock.advance(11 * DAY);
    const later = await t.app.get(RetentionService).purge();
    expect(later).toMatchObject({ events: 1, webhook_deliveries: 1, webhook_attempts: 1, refresh_tokens: 1, checkout_links: 1, outbound_emails: 0 });
    expect(await present('events', Object.values(ev))).toEqual([ev.unrelayed]);
    expect(Object.values(await t.app.get(RetentionService).purge()).every((n) => n === 0)).toBe(true);
  });
});
