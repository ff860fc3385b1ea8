import { PDFDocument } from 'pdf-lib';
import type { DataSource } from 'typeorm';
import { assertMatchesSpec } from '../support/openapi-validator';
import type { TestApp } from '../support/app';
import { startAppWithDb } from '../support/fixtures';
import { confirmedOrder, inventoryOf, ledgerOf, pkg, shippingShop, stockedProduct, type ShippingShop } from '../support/shipping-fixtures';

describe('shipments (e2e)', () => {
  let t: TestApp, db: DataSource;

  beforeAll(async () => {
    ({ t, db } = await startAppWithDb());
  });
  afterAll(() => t.close());

  function ship(s: ShippingShop, orderId: string, items?: { line_id: string; quantity: number }[], extra: Record<string, unknown> = {}) {
    return t.http.post('/api/v1/shipments', { order_id: orderId, ...(items ? { items } : {}), carrier: 'sandbox', service: 'ground', packages: [pkg(1000)], ...extra }, { token: s.key });
  }

  async function orderView(s: ShippingShop, id: string) {
    const res = await t.http.get(`/api/v1/orders/${id}`, { token: s.key });
    expect(res.status).toBe(200);
    return { status: res.body.data.status, fulfillment: res.body.data.fulfillment_status, shipped: res.body.data.items.map((i: { fulfilled_quantity: number }) => i.fulfilled_quantity) };
  }

  it('ships some lines, then the rest: stock committed line by line, fulfillment partial then fulfilled', async () => {
    const s = await shippingShop(t, db);
    const a = await stockedProduct(t, s, 10);
    const b = await stockedProduct(t, s, 5);
    const order = await confirmedOrder(t, s, [{ product_id: a, quantity: 3 }, { product_id: b, quantity: 2 }]);
    const [lineA, lineB] = order.items;
    expect(await inventoryOf(t, s, a)).toMatchObject({ total_on_hand: 10, total_reserved: 3 });

    const first = await ship(s, order.id, [{ line_id: lineA.id, quantity: 2 }], { insurance_value: 5000, signature_required: true });
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({
      object: 'shipment', order_id: order.id, status: 'label_created', carrier: 'sandbox', service: 'ground',
      items: [{ line_id: lineA.id, product_id: a, quantity: 2 }], insurance_value: 5000, currency: 'usd', signature_required: true,
      rate_amount: 400 + 2 * 100, ship_to: { country: 'US', region: 'TX', line1: '1 Main St', name: 'Ada Lovelace' },
    });
    expect(first.body.data.tracking_number).toMatch(/^SBX\d{16}$/);
    expect(first.body.data.label_url).toMatch(new RegExp(`/api/v1/shipments/${first.body.data.id}/label$`));
    expect(await orderView(s, order.id)).toEqual({ status: 'confirmed', fulfillment: 'partial', shipped: [2, 0] });
    expect(await inventoryOf(t, s, a)).toMatchObject({ total_on_hand: 8, total_reserved: 1, total_available: 7 });
    expect(await inventoryOf(t, s, b)).toMatchObject({ total_on_hand: 5, total_reserved: 2 });
    expect(await ledgerOf(t, s, a)).toEqual([['adjustment', 10, 0], ['reservation', 0, 3], ['commit', -2, -2]]);
    expect(await ledgerOf(t, s, b)).toEqual([['adjustment', 5, 0], ['reservation', 0, 2]]);

    // More than the line has left, and a line of no order, are refused without a trace.
    const over = await ship(s, order.id, [{ line_id: lineA.id, quantity: 2 }]);
    expect(over.status).toBe(409);
    expect(over.body.error.field).toBe('items[0].quantity');
    const stranger = await ship(s, order.id, [{ line_id: 'line_01h2xcejqtf2nbrexx3vqjhp41', quantity: 1 }]);
    expect(stranger.status).toBe(422);
    expect(stranger.body.error.details[0].field).toBe('items[0].line_id');
    expect(await inventoryOf(t, s, a)).toMatchObject({ total_on_hand: 8, total_reserved: 1 });

    // No items: everything not shipped yet.
    const rest = await ship(s, order.id);
    expect(rest.status).toBe(201);
    expect(rest.body.data.items.map((i: { line_id: string; quantity: number }) => [i.line_id, i.quantity])).toEqual([[lineA.id, 1], [lineB.id, 2]]);
    expect(await orderView(s, order.id)).toEqual({ status: 'confirmed', fulfillment: 'fulfilled', shipped: [3, 2] });
    expect(await inventoryOf(t, s, a)).toMatchObject({ total_on_hand: 7, total_reserved: 0 });
    expect(await inventoryOf(t, s, b)).toMatchObject({ total_on_hand: 3, total_reserved: 0 });
    expect(await ledgerOf(t, s, b)).toEqual([['adjustment', 5, 0], ['reservation', 0, 2], ['commit', -2, -2]]);
    expect((await ship(s, order.id)).status).toBe(409);

    // Moving the order to shipped by hand commits nothing twice.
    for (const status of ['processing', 'shipped']) expect((await t.http.patch(`/api/v1/orders/${order.id}/status`, { status }, { token: s.key })).status).toBe(200);
    expect(await inventoryOf(t, s, a)).toMatchObject({ total_on_hand: 7, total_reserved: 0 });

    const listed = await t.http.get('/api/v1/shipments', { token: s.key, query: { order_id: order.id } });
    expect(listed.body.data.map((x: { id: string }) => x.id)).toEqual([rest.body.data.id, first.body.data.id]);
    expect((await t.http.get('/api/v1/shipments', { token: s.key, query: { status: 'delivered' } })).body.data).toEqual([]);
  });

  it('the order\'s hand-moved shipment still commits only what shipments left reserved', async () => {
    const s = await shippingShop(t, db);
    const a = await stockedProduct(t, s, 10);
    const order = await confirmedOrder(t, s, [{ product_id: a, quantity: 4 }]);
    expect((await ship(s, order.id, [{ line_id: order.items[0].id, quantity: 1 }])).status).toBe(201);
    for (const status of ['processing', 'shipped']) expect((await t.http.patch(`/api/v1/orders/${order.id}/status`, { status }, { token: s.key })).status).toBe(200);
    expect(await inventoryOf(t, s, a)).toMatchObject({ total_on_hand: 6, total_reserved: 0 });
    expect(await ledgerOf(t, s, a)).toEqual([['adjustment', 10, 0], ['reservation', 0, 4], ['commit', -1, -1], ['commit', -3, -3]]);
    // Its stock left as a whole: no more shipments of it.
    expect((await ship(s, order.id)).status).toBe(409);
  });

  it('cancelling before pickup returns the units to the order\'s reservation; after pickup it is refused', async () => {
    const s = await shippingShop(t, db);
    const a = await stockedProduct(t, s, 10);
    const order = await confirmedOrder(t, s, [{ product_id: a, quantity: 4 }]);
    const shipment = (await ship(s, order.id, [{ line_id: order.items[0].id, quantity: 3 }])).body.data;
    expect(await inventoryOf(t, s, a)).toMatchObject({ total_on_hand: 7, total_reserved: 1 });

    const cancelled = await t.http.post(`/api/v1/shipments/${shipment.id}/cancel`, undefined, { token: s.key });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data).toMatchObject({ status: 'cancelled' });
    expect(cancelled.body.data.cancelled_at).not.toBeNull();
    expect(await inventoryOf(t, s, a)).toMatchObject({ total_on_hand: 10, total_reserved: 4, total_available: 6 });
    expect(await ledgerOf(t, s, a)).toEqual([['adjustment', 10, 0], ['reservation', 0, 4], ['commit', -3, -3], ['commit_reversal', 3, 3]]);
    expect(await orderView(s, order.id)).toEqual({ status: 'confirmed', fulfillment: 'unfulfilled', shipped: [0] });
    const track = await t.http.get(`/api/v1/shipments/${shipment.id}/track`, { token: s.key });
    expect(track.body.data.events.map((e: { status: string; source: string }) => [e.status, e.source])).toEqual([['label_created', 'api'], ['cancelled', 'api']]);
    expect((await t.http.post(`/api/v1/shipments/${shipment.id}/cancel`, undefined, { token: s.key })).status).toBe(409);

    // Cancelling the order afterwards releases the whole reservation again.
    expect((await t.http.post(`/api/v1/orders/${order.id}/cancel`, { reason: 'customer_request' }, { token: s.key })).status).toBe(200);
    expect(await inventoryOf(t, s, a)).toMatchObject({ total_on_hand: 10, total_reserved: 0 });

    const order2 = await confirmedOrder(t, s, [{ product_id: a, quantity: 1 }]);
    const picked = (await ship(s, order2.id)).body.data;
    expect((await t.http.post(`/api/v1/shipments/${picked.id}/simulate`, { status: 'in_transit' }, { token: s.key })).status).toBe(200);
    const late = await t.http.post(`/api/v1/shipments/${picked.id}/cancel`, undefined, { token: s.key });
    expect(late.status).toBe(409);
    expect(await inventoryOf(t, s, a)).toMatchObject({ total_on_hand: 9, total_reserved: 0 });
  });

  it('of concurrent shipments of the last unit, exactly one wins', async () => {
    const s = await shippingShop(t, db);
    const a = await stockedProduct(t, s, 10);
    const order = await confirmedOrder(t, s, [{ product_id: a, quantity: 1 }]);
    const results = await Promise.all(Array.from({ length: 5 }, () => ship(s, order.id, [{ line_id: order.items[0].id, quantity: 1 }])));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(await inventoryOf(t, s, a)).toMatchObject({ total_on_hand: 9, total_reserved: 0 });
    expect(await ledgerOf(t, s, a)).toEqual([['adjustment', 10, 0], ['reservation', 0, 1], ['commit', -1, -1]]);
    expect((await t.http.get('/api/v1/shipments', { token: s.key, query: { order_id: order.id } })).body.data).toHaveLength(1);
  });

  it('a retried POST /shipments with the same Idempotency-Key buys one label and commits the stock once', async () => {
    const s = await shippingShop(t, db);
    const a = await stockedProduct(t, s, 10);
    const order = await confirmedOrder(t, s, [{ product_id: a, quantity: 2 }]);
    const body = { order_id: order.id, carrier: 'sandbox', service: 'express', packages: [pkg(700)] };
    const headers = { 'Idempotency-Key': `ship-${order.id}` };
    const first = await t.http.post('/api/v1/shipments', body, { token: s.key, headers });
    const retry = await t.http.post('/api/v1/shipments', body, { token: s.key, headers });
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.data.id).toBe(first.body.data.id);
    expect(await inventoryOf(t, s, a)).toMatchObject({ total_on_hand: 8, total_reserved: 0 });
  });

  it('ships confirmed or processing orders only, with a configured carrier service', async () => {
    const s = await shippingShop(t, db);
    const a = await stockedProduct(t, s, 10);
    const pending = await t.http.post('/api/v1/orders', { customer_id: s.customerId, shipping_address: { line1: 'x', city: 'y', country: 'US' }, items: [{ product_id: a, quantity: 1 }] }, { token: s.key });
    expect((await ship(s, pending.body.data.id)).status).toBe(409);
    const order = await confirmedOrder(t, s, [{ product_id: a, quantity: 1 }]);
    const unknownCarrier = await ship(s, order.id, undefined, { carrier: 'pigeon' });
    expect(unknownCarrier.status).toBe(422);
    expect(unknownCarrier.body.error.details[0].field).toBe('carrier');
    const unknownService = await ship(s, order.id, undefined, { service: 'teleport' });
    expect(unknownService.status).toBe(422);
    expect(unknownService.body.error.details[0].field).toBe('service');
    expect((await ship(s, 'ord_01h2xcejqtf2nbrexx3vqjhp41')).status).toBe(404);
    expect(await inventoryOf(t, s, a)).toMatchObject({ total_on_hand: 10, total_reserved: 2 });
  });

  it('serves the label as a one-page 4 × 6 in PDF that parses, the same bytes every time', async () => {
    const s = await shippingShop(t, db);
    const a = await stockedProduct(t, s, 10);
    const order = await confirmedOrder(t, s, [{ product_id: a, quantity: 2 }]);
    const shipment = (await ship(s, order.id, undefined, { signature_required: true })).body.data;
    const fetchLabel = async () => {
      const res = await t.app.getHttpAdapter().getInstance().inject({ method: 'GET', url: `/api/v1/shipments/${shipment.id}/label`, headers: { authorization: `Bearer ${s.key}` } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      assertMatchesSpec('GET', `/api/v1/shipments/${shipment.id}/label`, { status: res.statusCode, headers: res.headers as Record<string, string>, body: undefined });
      return res.rawPayload;
    };
    const bytes = await fetchLabel();
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBe(1);
    expect(pdf.getPage(0).getSize()).toEqual({ width: 288, height: 432 });
    expect(pdf.getTitle()).toBe(`Shipping label ${shipment.tracking_number}`);
    expect(pdf.getKeywords()).toContain(shipment.id);
    expect(pdf.getKeywords()).toContain('SIGNATURE REQUIRED');
    expect(pdf.getCreationDate()?.getTime()).toBe(Math.floor(Date.parse(shipment.created_at) / 1000) * 1000); // PDF dates keep whole seconds
    expect((await fetchLabel()).equals(bytes)).toBe(true);
  });

  it('another tenant\'s shipment is 404 everywhere', async () => {
    const s = await shippingShop(t, db);
    const other = await shippingShop(t, db, 'Other shop');
    const a = await stockedProduct(t, s, 10);
    const order = await confirmedOrder(t, s, [{ product_id: a, quantity: 1 }]);
    const shipment = (await ship(s, order.id)).body.data;
    expect((await t.http.get(`/api/v1/shipments/${shipment.id}`, { token: s.key })).status).toBe(200);
    for (const [method, path] of [['GET', ''], ['GET', '/track'], ['GET', '/label'], ['POST', '/cancel']] as const) {
      const res = await t.http.call(method, `/api/v1/shipments/${shipment.id}${path}`, undefined, { token: other.key });
      expect(res.status).toBe(404);
    }
    expect((await t.http.post(`/api/v1/shipments/${shipment.id}/simulate`, { status: 'delivered' }, { token: other.key })).status).toBe(404);
    expect((await ship(other, order.id)).status).toBe(404);
    expect((await t.http.get('/api/v1/shipments', { token: other.key })).body.data).toEqual([]);
    expect((await t.http.get('/api/v1/shipments/shp_nope', { token: s.key })).status).toBe(404);
    expect((await t.http.get(`/api/v1/shipments/${shipment.id}`, { token: s.key })).body.data.status).toBe('label_created');
  });
});
