import type { TestApp } from '../support/app';
import { createApiKey } from '../support/factories';
import { stockLedger } from '../support/observe';
import { OrderShop, startOrderShop } from '../support/order-shop';
import type { TypedApi } from '../support/typed-api';

type Status = 'pending' | 'confirmed' | 'processing' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
const STATUSES: Status[] = ['pending', 'confirmed', 'processing', 'shipped', 'delivered', 'cancelled', 'refunded'];
/** The path from pending to each status (cancelled via pending). */
const PATH_TO: Record<Exclude<Status, 'refunded'>, Status[]> = {
  pending: [],
  confirmed: ['confirmed'],
  processing: ['confirmed', 'processing'],
  shipped: ['confirmed', 'processing', 'shipped'],
  delivered: ['confirmed', 'processing', 'shipped', 'delivered'],
  cancelled: ['cancelled'],
};
/** What the state machine allows next (without payment, refunded is refused by its guard instead). */
const NEXT: Record<Status, Status[]> = {
  pending: ['confirmed', 'cancelled', 'refunded'],
  confirmed: ['processing', 'cancelled', 'refunded'],
  processing: ['shipped', 'cancelled', 'refunded'],
  shipped: ['delivered', 'refunded'],
  delivered: ['refunded'],
  cancelled: ['refunded'],
  refunded: [],
};

describe('orders: status machine and cancel (e2e)', () => {
  let t: TestApp, shop: OrderShop, api: TypedApi, token: string;

  beforeAll(async () => {
    ({ t, shop, api, token } = await startOrderShop());
  });
  afterAll(() => t.close());

  describe('status machine', () => {
    /** A fresh order moved along the path to `status`. */
    async function orderIn(status: Exclude<Status, 'refunded'>, productId?: string) {
      const p = productId ?? (await shop.stocked(5));
      const o = await shop.order(p, 2);
      for (const s of PATH_TO[status]) expect((await shop.setStatus(o.id, s)).status).toBe(200);
      return { id: o.id, productId: p };
    }

    it('walks pending → confirmed → processing → shipped → delivered, recording actor and note; shipping commits the stock', async () => {
      const p = await shop.stocked(5);
      const o = await shop.order(p, 2);
      const steps: [Status, string][] = [['confirmed', 'payment ok'], ['processing', 'picking'], ['shipped', 'UPS 1Z'], ['delivered', 'signed']];
      for (const [status, note] of steps) {
        const res = await shop.setStatus(o.id, status, note);
        expect(res.status).toBe(200);
        expect(res.body.data.status).toBe(status);
        if (status === 'processing') expect(await shop.inventory(p)).toMatchObject({ total_on_hand: 5, total_reserved: 2, total_available: 3 });
        if (status === 'shipped') {
          expect(await shop.inventory(p)).toMatchObject({ total_on_hand: 3, total_reserved: 0, total_available: 3 });
          expect(res.body.data.fulfillment_status).toBe('unfulfilled');
        }
      }
      const got = (await api.get('/orders/{id}', { path: { id: o.id } })).body.data;
      expect(got.fulfillment_status).toBe('fulfilled');
      expect(got.status_history.map((h) => [h.from_status, h.to_status])).toEqual([
        [null, 'pending'], ['pending', 'confirmed'], ['confirmed', 'processing'], ['processing', 'shipped'], ['shipped', 'delivered'],
      ]);
      expect(got.status_history.slice(1).map((h) => h.note)).toEqual(['payment ok', 'picking', 'UPS 1Z', 'signed']);
      expect(got.status_history.every((h) => h.actor === shop.ownerId)).toBe(true);
      const ledger = await stockLedger(shop.tenantId, p);
      expect(ledger[0]).toMatchObject({ on_hand: 3, reserved: 0, on_hand_sum: 3, reserved_sum: 0 });
      expect((await shop.events('order.fulfilled')).some((e) => e.data.object.id === o.id)).toBe(true);
      expect((await shop.events('order.updated')).filter((e) => e.data.object.id === o.id)).toHaveLength(3);
    });

    it('records an API key as the actor', async () => {
      const key = await createApiKey(t.http, token, { scopes: ['orders:write', 'orders:read'] });
      const { id } = await orderIn('pending');
      const res = await shop.setStatus(id, 'confirmed', undefined, key.secret);
      expect(res.status).toBe(200);
      expect(res.body.data.status_history[1]).toMatchObject({ actor: key.id, note: null });
    });

    it.each(['pending', 'confirmed', 'processing', 'shipped', 'delivered', 'cancelled'] as const)(
      'from %s refuses every transition the machine does not list (409 with the allowed ones)',
      async (from) => {
        const { id } = await orderIn(from);
        const refused = STATUSES.filter((s) => !NEXT[from].includes(s));
        for (const to of refused) {
          const res = await shop.setStatus(id, to);
          expect([to, res.status]).toEqual([to, 409]);
          expect(res.body.error.code).toBe('conflict');
          expect(res.body.error.field).toBe('status');
          expect(res.body.error.details.map((d) => d.message)).toEqual(NEXT[from]);
        }
        // refunded is listed but guarded: nothing was captured.
        const refund = await shop.setStatus(id, 'refunded');
        expect(refund.status).toBe(409);
        expect(refund.body.error.message).toMatch(/nothing captured/);
        const after = (await api.get('/orders/{id}', { path: { id } })).body.data;
        expect(after.status).toBe(from);
        expect(after.status_history).toHaveLength(PATH_TO[from].length + 1);
      },
    );

    it('rejects an unknown status (422) and unknown or malformed ids (404)', async () => {
      const { id } = await orderIn('pending');
      expect((await shop.setStatus(id, 'teleported')).status).toBe(422);
      expect((await api.send('patch', '/orders/{id}/status', { path: { id }, body: { status: 'confirmed', extra: 1 } })).status).toBe(422);
      expect((await shop.setStatus('ord_01h2xcejqtf2nbrexx3vqjhp41', 'confirmed')).status).toBe(404);
      expect((await shop.setStatus('not-an-id', 'confirmed')).status).toBe(404);
    });

    it('cancelling through PATCH releases the reservation', async () => {
      const { id, productId } = await orderIn('processing');
      const res = await shop.setStatus(id, 'cancelled', 'out of business');
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ status: 'cancelled' });
      expect(res.body.data.cancelled_at).not.toBeNull();
      expect(await shop.inventory(productId)).toMatchObject({ total_on_hand: 5, total_reserved: 0, total_available: 5 });
    });

    it('concurrent transitions of one order: exactly one wins', async () => {
      const { id, productId } = await orderIn('processing');
      const results = await Promise.all([shop.setStatus(id, 'shipped'), shop.setStatus(id, 'cancelled'), shop.setStatus(id, 'shipped'), shop.setStatus(id, 'cancelled')]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409]);
      const final = (await api.get('/orders/{id}', { path: { id } })).body.data;
      expect(final.status_history).toHaveLength(4);
      const inv = await shop.inventory(productId);
      if (final.status === 'shipped') expect(inv).toMatchObject({ total_on_hand: 3, total_reserved: 0 });
      else expect(inv).toMatchObject({ total_on_hand: 5, total_reserved: 0 });
      const ledger = await stockLedger(shop.tenantId, productId);
      expect(ledger[0].on_hand_sum).toBe(ledger[0].on_hand);
      expect(ledger[0].reserved_sum).toBe(ledger[0].reserved);
    });
  });

  describe('POST /orders/{id}/cancel', () => {
    it('cancels pending, confirmed and processing orders, releasing stock, recording reason and note, emitting order.cancelled', async () => {
      const p = await shop.stocked(10);
      for (const path of [[], ['confirmed'], ['confirmed', 'processing']]) {
        const o = await shop.order(p, 3);
        for (const s of path) expect((await shop.setStatus(o.id, s)).status).toBe(200);
        expect(await shop.inventory(p)).toMatchObject({ total_reserved: 3 });
        const res = await api.post('/orders/{id}/cancel', { path: { id: o.id }, body: { reason: 'customer_request', refund: false, note: 'changed mind' } });
        expect(res.status).toBe(200);
        expect(res.body.data).toMatchObject({ status: 'cancelled', cancel_reason: 'customer_request', payment_status: 'pending' });
        expect(res.body.data.status_history.at(-1)).toMatchObject({ to_status: 'cancelled', note: 'customer_request: changed mind', actor: shop.ownerId });
        expect(await shop.inventory(p)).toMatchObject({ total_on_hand: 10, total_reserved: 0, total_available: 10 });
        expect((await shop.events('order.cancelled')).some((e) => e.data.object.id === o.id)).toBe(true);
      }
      const ledger = await stockLedger(shop.tenantId, p);
      expect(ledger[0]).toMatchObject({ on_hand: 10, reserved: 0, on_hand_sum: 10, reserved_sum: 0 });
    });

    it('refuses shipped, delivered and cancelled orders (409) and bad bodies (422); refund with nothing captured refunds nothing', async () => {
      const p = await shop.stocked(10);
      const o = await shop.order(p, 1);
      expect((await api.send('post', '/orders/{id}/cancel', { path: { id: o.id }, body: { refund: false } })).status).toBe(422);
      const done = await api.post('/orders/{id}/cancel', { path: { id: o.id }, body: { reason: 'fraud', refund: true } });
      expect(done.status).toBe(200);
      expect(done.body.data).toMatchObject({ status: 'cancelled', amount_refunded: 0 });
      const again = await api.post('/orders/{id}/cancel', { path: { id: o.id }, body: { reason: 'fraud' } });
      expect(again.status).toBe(409);
      expect(again.body.error.details.map((d) => d.message)).toEqual(['refunded']);
      const shipped = await shop.order(p, 1);
      for (const s of ['confirmed', 'processing', 'shipped']) expect((await shop.setStatus(shipped.id, s)).status).toBe(200);
      const late = await api.post('/orders/{id}/cancel', { path: { id: shipped.id }, body: { reason: 'too late' } });
      expect(late.status).toBe(409);
      expect(late.body.error.details.map((d) => d.message)).toEqual(['delivered', 'refunded']);
      expect(await shop.inventory(p)).toMatchObject({ total_on_hand: 9, total_reserved: 0 });
    });
  });
});
