import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../src/config/config';
import { PaymentReconciliationService } from '../../src/modules/payments/payment-reconciliation.service';
import { RenewalsService } from '../../src/modules/subscriptions/renewals.service';
import { ServicesRepository } from '../../src/modules/subscriptions/services.repository';
import { Clock } from '../../src/platform/clock/clock';
import { RequestContext } from '../../src/platform/context/request-context';
import type { TestApp } from '../support/app';
import { startAppWithDb } from '../support/fixtures';
import { OK_CARD, PaymentShop } from '../support/payment-fixtures';

/**
 * Renewal charge claims (`service_periods.charge_state`: pending → charging → paid | failed) left in
 * `charging` — the worker died between the claim and its outcome, or the processor's answer was
 * lost — are settled by the renewal job from what payments recorded, once.
 */
describe('renewal charge claims left charging (e2e)', () => {
  let t: TestApp, db: DataSource, config: AppConfig, clock: Clock, renewals: RenewalsService, shop: PaymentShop, productId: string;

  const renew = () => renewals.renewDue(undefined, shop.tenantId);

  async function paidService(): Promise<{ id: string }> {
    const created = await shop.post('/api/v1/services', { customer_id: shop.customerId, product_id: productId, tier: 'basic' });
    expect(created.status).toBe(201);
    // Paying the first invoice with a card saves it as the default method the renewals charge.
    expect((await shop.post(`/api/v1/invoices/${created.body.data.latest_invoice_id}/pay`, { payment_method: 'card', card: OK_CARD })).status).toBe(200);
    return created.body.data;
  }

  async function renewalPeriod(serviceId: string): Promise<{ id: string; charge_state: string; invoice_id: string }> {
    const [row] = await db.query(`SELECT id, charge_state, invoice_id FROM service_periods WHERE service_id = $1 AND kind = 'renewal' ORDER BY period_start DESC LIMIT 1`, [serviceId]);
    return row;
  }

  beforeAll(async () => {
    ({ t, db } = await startAppWithDb());
    config = t.app.get(APP_CONFIG);
    clock = t.app.get(Clock);
    renewals = t.app.get(RenewalsService);
    clock.set(new Date('2026-04-01T00:00:00Z'));
    shop = await new PaymentShop(t.http, db).setUp('Renewal claims shop');
    const product = await shop.post('/api/v1/products', { name: 'Cloud', sku: `CL-${randomUUID().slice(0, 8)}`, price: 0, type: 'subscription', label_name: `cl-${randomUUID().slice(0, 8)}` });
    productId = product.body.data.id;
    expect((await shop.post(`/api/v1/products/${productId}/tiers`, { label_name: 'basic', name: 'Basic', price: 3000, billing_cycle: 'monthly' })).status).toBe(201);
  });
  afterAll(async () => {
    config.SANDBOX_PROVIDER_FAULT = 'none';
    await t.close();
  });

  it('the processor answer of a renewal charge is lost: the claim stays charging (no past_due), then is settled as paid once', async () => {
    clock.set(new Date('2026-04-01T00:00:00Z'));
    const service = await paidService();
    clock.set(new Date('2026-05-01T00:00:01Z'));
    config.SANDBOX_PROVIDER_FAULT = 'fail_after_charge';
    const first = await renew().finally(() => { config.SANDBOX_PROVIDER_FAULT = 'none'; });
    expect(first).toMatchObject({ renewed: 1, charged: 0, failed: 0 });
    const claim = await renewalPeriod(service.id);
    expect(claim.charge_state).toBe('charging');
    expect(await shop.get(`/api/v1/services/${service.id}`)).toMatchObject({ status: 'active' });
    expect(await shop.get(`/api/v1/invoices/${claim.invoice_id}`)).toMatchObject({ status: 'open', amount_paid: 0 });

    // Too young for the renewal job's reconciliation; and the payment is still processing anyway.
    expect((await renew()).reconciled).toBe(0);
    expect(await t.app.get(PaymentReconciliationService).reconcile(0, shop.tenantId)).toMatchObject({ settled: 1 });
    expect(await shop.get(`/api/v1/invoices/${claim.invoice_id}`)).toMatchObject({ status: 'paid', amount_paid: 3000 });

    const age = config.PAYMENT_RECONCILE_AFTER_SECONDS;
    config.PAYMENT_RECONCILE_AFTER_SECONDS = 0;
    try {
      expect(await renew()).toMatchObject({ reconciled: 1, charged: 0, failed: 0 });
      expect((await renewalPeriod(service.id)).charge_state).toBe('paid');
      expect((await renew()).reconciled).toBe(0);
    } finally {
      config.PAYMENT_RECONCILE_AFTER_SECONDS = age;
    }
    expect(await shop.get(`/api/v1/services/${service.id}`)).toMatchObject({ status: 'active' });
    expect(await shop.ledgerOf(claim.invoice_id)).toEqual([{ type: 'charge', status: 'completed', amount: 3000 }]);
  });

  it('a worker killed right after claiming (nothing charged): the claim is released and charged once', async () => {
    clock.set(new Date('2026-04-01T00:00:00Z'));
    const service = await paidService();
    const now = new Date('2026-05-01T00:00:01Z');
    clock.set(now);
    // What a worker does before it dies: step 1 (invoice the period) and the claim, committed.
    const ctx = RequestContext.system('test', shop.tenantId, 'test');
    expect(await renewals['renewOne'](ctx, service.id, now)).toBe(true); // renewOne is private: index access reaches it with its types
    const claim = await renewalPeriod(service.id);
    expect(await t.app.get(ServicesRepository).claimCharge(ctx, claim.id)).toBe(true);
    await db.query(`UPDATE service_periods SET charge_claimed_at = now() - interval '1 hour' WHERE id = $1`, [claim.id]);

    expect(await renew()).toMatchObject({ reconciled: 1, charged: 1, failed: 0 });
    expect((await renewalPeriod(service.id)).charge_state).toBe('paid');
    expect(await shop.get(`/api/v1/invoices/${claim.invoice_id}`)).toMatchObject({ status: 'paid', amount_paid: 3000 });
    expect(await renew()).toMatchObject({ reconciled: 0, charged: 0 });
    expect(await shop.ledgerOf(claim.invoice_id)).toEqual([{ type: 'charge', status: 'completed', amount: 3000 }]);
  });
});
