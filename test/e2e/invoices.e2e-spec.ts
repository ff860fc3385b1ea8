import { randomUUID } from 'node:crypto';
import { TransactionService } from '../../src/database/transaction.service';
import { InvoiceSettlementService } from '../../src/modules/billing/invoice-settlement.service';
import { InvoicesService } from '../../src/modules/billing/invoices.service';
import { ServicesService } from '../../src/modules/subscriptions/services.service';
import { RequestContext } from '../../src/platform/context/request-context';
import type { Schemas } from '../../src/platform/openapi/schemas';
import { newId } from '../../src/platform/ids/ids';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant, type TenantFixture } from '../support/factories';

const CARDS = { ok: '4242424242424242', declined: '4000000000000002', insufficient: '4000000000009995' };
const card = (number: string) => ({ number, exp_month: 12, exp_year: new Date().getUTCFullYear() + 2, cvc: '123' });
type Invoice = Schemas['Invoice'];

describe('invoices (e2e)', () => {
  let t: TestApp;
  let shop: TenantFixture;
  let other: TenantFixture;
  let key: string; // ck_test_ of shop
  let liveKey: string; // ck_live_ of shop
  let otherKey: string; // ck_test_ of other
  let customerId: string;

  async function newCustomer(as = key): Promise<string> {
    const res = await t.http.post('/api/v1/customers', { email: `c-${randomUUID()}@example.test`, first_name: 'Ada', last_name: 'Lovelace' }, { token: as });
    if (res.status !== 201) throw new Error(`customer: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data.id;
  }

  async function create(body: Record<string, unknown> = {}, as = key) {
    return t.http.post('/api/v1/invoices', {
      customer_id: customerId, currency: 'usd', lines: [{ description: 'Hosting', quantity: 1, unit_amount: 10000 }], ...body,
    }, { token: as });
  }

  async function createOk(body: Record<string, unknown> = {}, as = key): Promise<Invoice> {
    const res = await create(body, as);
    if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  }

  const post = (id: string, action: string, body?: unknown, as = key) => t.http.post(`/api/v1/invoices/${id}/${action}`, body, { token: as });
  const get = async (id: string, as = key): Promise<Invoice> => (await t.http.get(`/api/v1/invoices/${id}`, { token: as })).body.data;

  async function eventsOf(type: string, id: string, as = key): Promise<unknown[]> {
    const res = await t.http.get('/api/v1/events', { token: as, query: { type, per_page: 200 } });
    expect(res.status).toBe(200);
    return res.body.data.filter((e: Schemas['Event']) => e.data.object.id === id);
  }

  beforeAll(async () => {
    t = await startTestApp();
    shop = await signUpTenant(t.http, 'Invoices shop');
    other = await signUpTenant(t.http, 'Other invoices shop');
    key = (await createApiKey(t.http, shop.accessToken, { mode: 'test' })).secret;
    liveKey = (await createApiKey(t.http, shop.accessToken, { mode: 'live' })).secret;
    otherKey = (await createApiKey(t.http, other.accessToken, { mode: 'test' })).secret;
    customerId = await newCustomer();
    // return_url may name only the tenant's allowed redirect domains (issue 23).
    expect((await t.http.put('/api/v1/settings/redirect-domains', { domains: ['yourapp.example'] }, { token: key })).status).toBe(200);
  });
  afterAll(() => t.close());

  describe('create', () => {
    it('from lines: open, exact totals, a number, a hosted link; records invoice.created', async () => {
      const inv = await createOk({
        lines: [
          { description: 'Widget', quantity: 3, unit_amount: 1999 },
          { description: 'Setup', quantity: 1, unit_amount: 1 },
          { description: 'Big', quantity: 1000000, unit_amount: 9007199254 },
        ],
        due_date: '2030-01-31',
      });
      expect(inv).toMatchObject({
        status: 'open', customer_id: customerId, currency: 'usd', amount_paid: 0, amount_refunded: 0,
        email_sent: false, service_id: null, livemode: false, due_date: '2030-01-31T00:00:00.000Z', last_payment_error: null,
      });
      const total = 3 * 1999 + 1 + 9007199254 * 1000000;
      expect(inv.subtotal).toBe(total);
      expect(inv.total).toBe(total);
      expect(inv.amount_due).toBe(total);
      expect(inv.lines.map((l) => l.amount)).toEqual([5997, 1, 9007199254000000]);
      expect(inv.number).toMatch(/^INV-\d{6}$/);
      expect(inv.hosted_invoice_url).toMatch(/\/pay\/[A-Za-z0-9_-]{43}$/);
      expect(await get(inv.id)).toEqual(inv);
      expect(await eventsOf('invoice.created', inv.id)).toHaveLength(1);
    });

    it('a sum beyond the safe integer range is refused, never rounded', async () => {
      const res = await create({ lines: [{ description: 'x', quantity: 1000000, unit_amount: 9007199254740991 }] });
      expect(res.status).toBe(422);
    });

    it('from product_manage_id + amount for customer_email + account_ref_id (seed 003): the customer is created once', async () => {
      const product = await t.http.post('/api/v1/products', { name: 'Website development', sku: `web-${randomUUID()}`, price: 999 }, { token: key });
      expect(product.status).toBe(201);
      const ref = `acc_${randomUUID()}`;
      const email = `Client-${randomUUID()}@Example.test`;
      const body = { customer_id: undefined, lines: undefined, product_manage_id: product.body.data.id, amount: 2500, customer_email: email, account_ref_id: ref, return_url: 'https://yourapp.example/invoice/success' };
      const first = await createOk(body);
      expect(first).toMatchObject({
        status: 'open', total: 2500, product_manage_id: product.body.data.id, account_ref_id: ref, customer_email: email.toLowerCase(),
        return_url: 'https://yourapp.example/invoice/success',
      });
      expect(first.lines).toEqual([expect.objectContaining({ description: 'Website development', quantity: 1, unit_amount: 2500, product_id: product.body.data.id })]);
      const second = await createOk({ ...body, description: 'Phase 2' });
      expect(second.customer_id).toBe(first.customer_id);
      expect(second.lines[0].description).toBe('Phase 2');

      const byRef = await t.http.get('/api/v1/invoices', { token: key, query: { account_ref_id: ref } });
      expect(byRef.body.data.map((i: Invoice) => i.id)).toEqual([second.id, first.id]);
      const byEmail = await t.http.get('/api/v1/invoices', { token: key, query: { email: email.toUpperCase() } });
      expect(byEmail.body.data.map((i: Invoice) => i.id)).toEqual([second.id, first.id]);
    });

    it('validation: customer and lines required (one way each), currency, unknown customer or product → 404', async () => {
      const none = await create({ customer_id: undefined });
      expect(none.status).toBe(422);
      expect(none.body.error.field).toBe('customer_id');
      expect((await create({ lines: undefined })).status).toBe(422);
      const both = await create({ product_manage_id: newId('prod'), amount: 100 });
      expect(both.status).toBe(422);
      expect(both.body.error.field).toBe('lines');
      expect((await create({ lines: undefined, product_manage_id: newId('prod') })).body.error.field).toBe('amount');
      expect((await create({ currency: 'USD' })).status).toBe(422);
      expect((await create({ lines: [{ description: 'x', quantity: 0, unit_amount: 1 }] })).status).toBe(422);
      expect((await create({ lines: [{ description: 'x', quantity: 1, unit_amount: 1.5 }] })).status).toBe(422);
      expect((await create({ lines: [{ description: 'x', quantity: 1, unit_amount: -1 }] })).status).toBe(422);
      expect((await create({ return_url: 'javascript:alert(1)' })).status).toBe(422);
      expect((await create({ unknown: 1 })).status).toBe(422);
      expect((await create({ draft: true, send_to_customer: true })).status).toBe(422);
      expect((await create({ customer_id: newId('cus') })).status).toBe(404);
      expect((await create({ lines: undefined, product_manage_id: newId('prod'), amount: 100 })).status).toBe(404);
      expect((await create({ lines: [{ description: 'x', quantity: 1, unit_amount: 1, product_id: newId('prod') }] })).status).toBe(404);
    });

    it('20 concurrent creations get 20 distinct consecutive numbers', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => create()));
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
      const numbers = results.map((r) => Number(r.body.data.number.slice(4))).sort((a, b) => a - b);
      expect(new Set(numbers).size).toBe(20);
      expect(numbers[19] - numbers[0]).toBe(19);
    });

    it('numbers are per tenant and mode, and a rolled-back creation gives its number back', async () => {
      const liveCustomer = await newCustomer(liveKey);
      const liveFirst = await createOk({ customer_id: liveCustomer }, liveKey);
      expect(liveFirst.number).toBe('INV-000001');
      const otherCustomer = await newCustomer(otherKey);
      expect((await createOk({ customer_id: otherCustomer }, otherKey)).number).toBe('INV-000001');

      const service = t.app.get(InvoicesService);
      const tx = t.app.get(TransactionService);
      const ctx = RequestContext.system('invoices-test', shop.tenantId, 'live');
      await expect(tx.run(ctx, async (txCtx) => {
        const inv = await service.createInvoice(txCtx, { customerId: liveCustomer, currency: 'usd', lines: [{ description: 'x', quantity: 1, unit_amount: 5 }] });
        expect(inv.number).toBe('INV-000002');
        throw new Error('caller aborts');
      })).rejects.toThrow('caller aborts');
      expect((await createOk({ customer_id: liveCustomer }, liveKey)).number).toBe('INV-000002');
    });
  });

  describe('status machine', () => {
    it('draft → finalize → open; a draft cannot be paid; uncollectible can be voided; void twice → 409', async () => {
      const draft = await createOk({ draft: true });
      expect(draft.status).toBe('draft');
      expect((await post(draft.id, 'pay', { payment_method: 'card', card: card(CARDS.ok) })).status).toBe(409);
      expect((await post(draft.id, 'send')).status).toBe(409);
      const open = await post(draft.id, 'finalize');
      expect(open.status).toBe(200);
      expect(open.body.data.status).toBe('open');
      expect((await post(draft.id, 'finalize')).status).toBe(409);
      const unc = await post(draft.id, 'mark-uncollectible');
      expect(unc.body.data.status).toBe('uncollectible');
      expect((await post(draft.id, 'mark-uncollectible')).status).toBe(409);
      const voided = await post(draft.id, 'void');
      expect(voided.status).toBe(200);
      expect(voided.body.data).toMatchObject({ status: 'void', amount_due: 0 });
      expect(voided.body.data.voided_at).not.toBeNull();
      expect((await post(draft.id, 'void')).status).toBe(409);
      expect((await post(draft.id, 'pay', { card: card(CARDS.ok) })).status).toBe(409);
      expect(await eventsOf('invoice.voided', draft.id)).toHaveLength(1);
    });

    it('send queues the invoice e-mail (email_sent); with send_to_customer at creation too', async () => {
      const inv = await createOk();
      expect(inv.email_sent).toBe(false);
      const sent = await post(inv.id, 'send');
      expect(sent.status).toBe(200);
      expect(sent.body.data.email_sent).toBe(true);
      expect(sent.body.data.hosted_invoice_url).toBe(inv.hosted_invoice_url);
      expect((await createOk({ send_to_customer: true })).email_sent).toBe(true);
    });
  });

  describe('paying and refunding', () => {
    it('a declined card leaves it open with last_payment_error and invoice.payment_failed; 4242 pays it; void of a paid invoice → 409', async () => {
      const inv = await createOk({ lines: [{ description: 'Plan', quantity: 2, unit_amount: 2500 }] });
      const declined = await post(inv.id, 'pay', { payment_method: 'card', card: card(CARDS.declined) });
      expect(declined.status).toBe(200);
      expect(declined.body.data).toMatchObject({ status: 'open', amount_paid: 0, amount_due: 5000, last_payment_error: { code: 'card_declined' } });
      expect(await eventsOf('invoice.payment_failed', inv.id)).toHaveLength(1);

      const paid = await post(inv.id, 'pay', { payment_method: 'card', card: card(CARDS.ok) });
      expect(paid.status).toBe(200);
      expect(paid.body.data).toMatchObject({ status: 'paid', amount_paid: 5000, amount_due: 0, last_payment_error: null });
      expect(paid.body.data.paid_at).not.toBeNull();
      expect(await eventsOf('invoice.paid', inv.id)).toHaveLength(1);
      expect((await post(inv.id, 'pay', { card: card(CARDS.ok) })).status).toBe(409);

      const voided = await post(inv.id, 'void');
      expect(voided.status).toBe(409);
      expect(voided.body.error.code).toBe('conflict');
      const payments = await t.http.get('/api/v1/payments', { token: key, query: { invoice_id: inv.id } });
      expect(payments.body.data.map((p: Schemas['PaymentIntent']) => p.status)).toEqual(['succeeded', 'failed']);
    });

    it('refunds add up, the invoice stays paid with amount_refunded, and stop at the total (409)', async () => {
      const inv = await createOk({ lines: [{ description: 'Plan', quantity: 1, unit_amount: 10000 }] });
      expect((await post(inv.id, 'refund', {})).status).toBe(409); // nothing paid yet
      await post(inv.id, 'pay', { card: card(CARDS.ok) });
      const first = await post(inv.id, 'refund', { amount: 3000, reason: 'requested_by_customer' });
      expect(first.status).toBe(200);
      expect(first.body.data).toMatchObject({ status: 'paid', amount_paid: 10000, amount_refunded: 3000 });
      const second = await post(inv.id, 'refund', { amount: 4000 });
      expect(second.body.data.amount_refunded).toBe(7000);
      const tooMuch = await post(inv.id, 'refund', { amount: 3001 });
      expect(tooMuch.status).toBe(409);
      expect(tooMuch.body.error.field).toBe('amount');
      const rest = await post(inv.id, 'refund', {});
      expect(rest.body.data).toMatchObject({ status: 'paid', amount_refunded: 10000 });
      expect((await post(inv.id, 'refund', { amount: 1 })).status).toBe(409);
      expect(await eventsOf('invoice.refunded', inv.id)).toHaveLength(3);
      const ledger = await t.http.get('/api/v1/payments', { token: key, query: { invoice_id: inv.id } });
      expect(ledger.body.data[0].amount_refunded).toBe(10000);
    });

    it('concurrent refunds never exceed what was paid', async () => {
      const inv = await createOk({ lines: [{ description: 'Plan', quantity: 1, unit_amount: 1000 }] });
      await post(inv.id, 'pay', { card: card(CARDS.ok) });
      const results = await Promise.all(Array.from({ length: 8 }, () => post(inv.id, 'refund', { amount: 300 })));
      expect(results.filter((r) => r.status === 200)).toHaveLength(3);
      expect(results.filter((r) => r.status !== 200).every((r) => r.status === 409)).toBe(true);
      expect((await get(inv.id)).amount_refunded).toBe(900);
    });

    it('an empty body charges the default saved card (saved by a card payment, never the number); none → 422', async () => {
      const fresh = await newCustomer();
      const first = await createOk({ customer_id: fresh });
      const none = await post(first.id, 'pay', {});
      expect(none.status).toBe(422);
      expect(none.body.error.field).toBe('payment_method');
      expect((await post(first.id, 'pay', undefined)).status).toBe(422);
      await post(first.id, 'pay', { payment_method: 'card', card: card(CARDS.ok) });
      const second = await createOk({ customer_id: fresh });
      const paid = await post(second.id, 'pay', {});
      expect(paid.status).toBe(200);
      expect(paid.body.data.status).toBe('paid');
      const payments = await t.http.get('/api/v1/payments', { token: key, query: { invoice_id: second.id } });
      expect(payments.body.data[0].card).toMatchObject({ brand: 'visa', last4: '4242' });
      expect(JSON.stringify(payments.body)).not.toContain(CARDS.ok);
    });

    it('partial payments through /payments/intents add up and mark it paid once the total is captured', async () => {
      const inv = await createOk({ lines: [{ description: 'Plan', quantity: 1, unit_amount: 5000 }] });
      const pay = (amount: number) => t.http.post('/api/v1/payments/intents', { amount, currency: 'usd', payment_method: 'card', invoice_id: inv.id, card: card(CARDS.ok) }, { token: key });
      expect((await pay(3000)).status).toBe(201);
      expect(await get(inv.id)).toMatchObject({ status: 'open', amount_paid: 3000, amount_due: 2000 });
      expect((await pay(2001)).status).toBe(409);
      expect((await t.http.post('/api/v1/payments/intents', { amount: 100, currency: 'eur', payment_method: 'card', invoice_id: inv.id, card: card(CARDS.ok) }, { token: key })).status).toBe(409);
      expect((await post(inv.id, 'void')).status).toBe(409); // partly paid
      expect((await pay(2000)).status).toBe(201);
      expect(await get(inv.id)).toMatchObject({ status: 'paid', amount_paid: 5000, amount_due: 0 });
    });

    it('live mode without a payment provider → 422 and the invoice stays open', async () => {
      const liveCustomer = await newCustomer(liveKey);
      const inv = await createOk({ customer_id: liveCustomer }, liveKey);
      expect(inv.livemode).toBe(true);
      const res = await post(inv.id, 'pay', { card: card(CARDS.ok) }, liveKey);
      expect(res.status).toBe(422);
      expect((await get(inv.id, liveKey)).status).toBe('open');
    });
  });

  describe('the exported service contract', () => {
    it('createInvoice (service_id), findOpenInvoiceForService, payWithDefaultMethod, onInvoicePaid inside the paying transaction', async () => {
      const service = t.app.get(InvoicesService);
      const ctx = RequestContext.system('invoices-test', shop.tenantId, 'test');
      const fresh = await newCustomer();
      const serviceId = `svc_${randomUUID()}`;
      const seen: { id: string; inTx: boolean }[] = [];
      // The paid listener is a port binding now (INVOICE_PAID_LISTENERS → ServicesService): watch it.
      const listener = t.app.get(ServicesService);
      const onInvoicePaid = listener.onInvoicePaid.bind(listener);
      jest.spyOn(listener, 'onInvoicePaid').mockImplementation(async (paidCtx, invoice) => {
        seen.push({ id: invoice.id, inTx: !!paidCtx.manager?.queryRunner?.isTransactionActive });
        return onInvoicePaid(paidCtx, invoice);
      });
      const settlement = t.app.get(InvoiceSettlementService);
      const older = await service.createInvoice(ctx, { customerId: fresh, currency: 'usd', lines: [{ description: 'Renewal', quantity: 1, unit_amount: 1200 }], serviceId, dueDate: new Date('2031-01-01T00:00:00Z') });
      const newer = await service.createInvoice(ctx, { customerId: fresh, currency: 'usd', lines: [{ description: 'Renewal', quantity: 1, unit_amount: 1300 }], serviceId });
      expect(older).toMatchObject({ status: 'open', service_id: serviceId, total: 1200, due_date: '2031-01-01T00:00:00.000Z' });
      expect(service.hostedUrl(older)).toBe(older.hosted_invoice_url);
      expect((await service.findOpenInvoiceForService(ctx, serviceId))?.id).toBe(newer.id);
      expect(await service.findOpenInvoiceForService(ctx, `svc_${randomUUID()}`)).toBeNull();

      const failed = await settlement.payWithDefaultMethod(ctx, newer.id);
      expect(failed.paid).toBe(false);
      expect(failed.invoice).toMatchObject({ status: 'open', last_payment_error: { code: 'no_payment_method' } });
      expect(await eventsOf('invoice.payment_failed', newer.id)).toHaveLength(1);

      await post(older.id, 'pay', { card: card(CARDS.ok) });
      expect(seen).toContainEqual({ id: older.id, inTx: true });
      const paid = await settlement.payWithDefaultMethod(ctx, newer.id);
      expect(paid.paid).toBe(true);
      expect(paid.invoice.status).toBe('paid');
      expect(seen).toContainEqual({ id: newer.id, inTx: true });
      expect(await service.findOpenInvoiceForService(ctx, serviceId)).toBeNull();
      expect((await settlement.payWithDefaultMethod(ctx, newer.id)).paid).toBe(true);
    });
  });

  describe('lists, tenancy and access', () => {
    it('filters status (incl. unpaid), customer_id and dates; bad values → 400', async () => {
      const fresh = await newCustomer();
      const open = await createOk({ customer_id: fresh });
      const paid = await createOk({ customer_id: fresh });
      await post(paid.id, 'pay', { card: card(CARDS.ok) });
      const draft = await createOk({ customer_id: fresh, draft: true });
      const ids = async (query: Record<string, string>) =>
        (await t.http.get('/api/v1/invoices', { token: key, query: { customer_id: fresh, ...query } })).body.data.map((i: Invoice) => i.id);
      expect(await ids({})).toEqual([draft.id, paid.id, open.id]);
      expect(await ids({ status: 'unpaid' })).toEqual([open.id]);
      expect(await ids({ status: 'paid' })).toEqual([paid.id]);
      expect(await ids({ status: 'draft' })).toEqual([draft.id]);
      expect(await ids({ date_from: '2999-01-01' })).toEqual([]);
      expect(await ids({ from: '2000-01-01', to: '2999-01-01', sort: 'created_at', order: 'asc' })).toEqual([open.id, paid.id, draft.id]);
      const cursor = await t.http.get('/api/v1/invoices', { token: key, query: { customer_id: fresh, per_page: 2 } });
      expect(cursor.body.meta).toMatchObject({ total: 3, has_next: true });
      const next = await t.http.get('/api/v1/invoices', { token: key, query: { customer_id: fresh, per_page: 2, cursor: cursor.body.meta.next_cursor } });
      expect(next.body.data.map((i: Invoice) => i.id)).toEqual([open.id]);
      expect((await t.http.get('/api/v1/invoices', { token: key, query: { status: 'late' } })).body.error.field).toBe('status');
      expect((await t.http.get('/api/v1/invoices', { token: key, query: { date_from: 'yesterday' } })).status).toBe(400);
      expect((await t.http.get('/api/v1/invoices', { token: key, query: { sort: 'number' } })).status).toBe(400);
    });

    it("another tenant's invoice (or the other mode's) → 404 on every route; malformed ids → 404", async () => {
      const inv = await createOk();
      for (const as of [otherKey, liveKey]) {
        expect((await t.http.get(`/api/v1/invoices/${inv.id}`, { token: as })).status).toBe(404);
        for (const action of ['pay', 'refund', 'void', 'send', 'finalize', 'mark-uncollectible']) {
          expect((await post(inv.id, action, action === 'pay' ? { card: card(CARDS.ok) } : {}, as)).status).toBe(404);
        }
        const listed = await t.http.get('/api/v1/invoices', { token: as, query: { customer_id: customerId } });
        expect(listed.body.data).toEqual([]);
      }
      expect((await create({}, otherKey)).status).toBe(404); // shop's customer is unknown there
      expect((await t.http.get('/api/v1/invoices/inv_nope', { token: key })).status).toBe(404);
      expect((await t.http.get(`/api/v1/invoices/${newId('ord')}`, { token: key })).status).toBe(404);
      expect((await t.http.post('/api/v1/payments/intents', { amount: 100, currency: 'usd', payment_method: 'card', invoice_id: inv.id, card: card(CARDS.ok) }, { token: otherKey })).status).toBe(404);
      expect((await get(inv.id)).status).toBe('open');
    });

    it('scopes: read-only and unrelated keys; no credentials → 401', async () => {
      const readOnly = (await createApiKey(t.http, shop.accessToken, { mode: 'test', access: 'read_only' })).secret;
      const ordersOnly = (await createApiKey(t.http, shop.accessToken, { mode: 'test', scopes: ['orders:read'] })).secret;
      const invoicesRead = (await createApiKey(t.http, shop.accessToken, { mode: 'test', scopes: ['invoices:read'] })).secret;
      const filter = { query: { customer_id: customerId } }; // the list needs one (invoices-list-filter.e2e-spec.ts)
      expect((await t.http.get('/api/v1/invoices', { token: readOnly, ...filter })).status).toBe(200);
      expect((await create({}, readOnly)).status).toBe(403);
      expect((await t.http.get('/api/v1/invoices', { token: ordersOnly, ...filter })).status).toBe(403);
      expect((await t.http.get('/api/v1/invoices', { token: invoicesRead, ...filter })).status).toBe(200);
      expect((await create({}, invoicesRead)).status).toBe(403);
      expect((await t.http.get('/api/v1/invoices')).status).toBe(401);
    });

    it('an Idempotency-Key retry creates one invoice', async () => {
      const headers = { 'Idempotency-Key': `inv-${randomUUID()}` };
      const body = { customer_id: customerId, currency: 'usd', lines: [{ description: 'Once', quantity: 1, unit_amount: 100 }] };
      const a = await t.http.post('/api/v1/invoices', body, { token: key, headers });
      const b = await t.http.post('/api/v1/invoices', body, { token: key, headers });
      expect(a.status).toBe(201);
      expect(b.headers['idempotent-replayed']).toBe('true');
      expect(b.body.data.id).toBe(a.body.data.id);
    });
  });
});
