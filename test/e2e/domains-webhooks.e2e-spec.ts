import { Webhook } from 'standardwebhooks';
import { DomainRenewalsService } from '../../src/modules/domains/domain-renewals.service';
import { Clock } from '../../src/platform/clock/clock';
import type { TestApp } from '../support/app';
import { startAppAndWorker } from '../support/app-and-worker';
import { domainShop, TEST_CARD, type DomainShop } from '../support/domain-fixtures';
import { webhookProblems } from '../support/openapi-validator';
import { WebhookReceiver } from '../support/webhook-receiver';

const DOMAIN_TYPES = ['domain.expired', 'domain.expiring', 'domain.registered', 'domain.renewed', 'domain.transfer_out_requested'];

/** Every domain.* event type reaches a real receiver through the real worker (relay + delivery), signed and as the spec documents it. */
describe('domain webhooks (e2e)', () => {
  let t: TestApp;
  let stopApp: () => Promise<void>;
  let shop: DomainShop;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    ({ t, close: stopApp } = await startAppAndWorker('cbapidomwh', { OUTBOX_POLL_MS: '100' }));
    shop = await domainShop(t, 'Domain webhooks shop');
  });
  afterAll(async () => {
    t.app.get(Clock).reset();
    await stopApp?.();
    await receiver.stop();
  });

  it('delivers domain.registered, renewed, expiring, expired and transfer_out_requested to a domain.* endpoint', async () => {
    const url = await receiver.start();
    const endpoint = await t.http.post('/api/v1/webhooks', { url, events: ['domain.*'] }, { token: shop.key });
    expect(endpoint.status).toBe(201);
    const auth = { token: shop.key };
    const clock = t.app.get(Clock);
    const run = () => t.app.get(DomainRenewalsService).renewDue(undefined, shop.tenant.tenantId);
    const alice = await shop.customer('alice');

    clock.set(new Date('2026-01-10T00:00:00Z'));
    const kept = (await t.http.post('/api/v1/domains', { name: 'kept.com', customer_id: alice, years: 1 }, auth)).body.data;
    const lapsed = (await t.http.post('/api/v1/domains', { name: 'lapsed.com', customer_id: alice, years: 1, auto_renew: false }, auth)).body.data;
    const leaving = (await t.http.post('/api/v1/domains', { name: 'leaving.com', customer_id: alice, years: 1 }, auth)).body.data;
    expect((await t.http.post(`/api/v1/domains/${leaving.id}/transfer-out`, undefined, auth)).status).toBe(200);

    clock.set(new Date('2026-12-20T00:00:00Z'));
    await run(); // expiring (kept: with its renewal invoice; lapsed: notice only)
    const invoiceId = (await t.http.get(`/api/v1/domains/${kept.id}`, auth)).body.data.renewal_invoice_id;
    expect((await t.http.post(`/api/v1/invoices/${invoiceId}/pay`, { payment_method: 'card', card: TEST_CARD }, auth)).status).toBe(200);
    clock.set(new Date('2027-01-10T00:00:01Z'));
    await run(); // kept renewed (paid), lapsed expired

    // 3 registered, 1 transfer_out_requested, 2 expiring (a transfer_pending domain gets none), 1 renewed, 1 expired.
    await receiver.waitFor(() => receiver.received.length >= 8);
    const payloads = receiver.received.map((r) => JSON.parse(r.body) as { type: string; data: { object: { id: string; auth_code?: string } } });
    expect([...new Set(payloads.map((p) => p.type))].sort()).toEqual(DOMAIN_TYPES);
    const idsOf = (type: string) => payloads.filter((p) => p.type === type).map((p) => p.data.object.id).sort();
    expect(idsOf('domain.registered')).toEqual([kept.id, lapsed.id, leaving.id].sort());
    expect(idsOf('domain.expiring')).toEqual([kept.id, lapsed.id].sort());
    expect(idsOf('domain.renewed')).toEqual([kept.id]);
    expect(idsOf('domain.expired')).toEqual([lapsed.id]);
    expect(idsOf('domain.transfer_out_requested')).toEqual([leaving.id]);
    expect(payloads.every((p) => p.data.object.auth_code === undefined)).toBe(true);
    for (const delivery of receiver.received) {
      expect(webhookProblems(delivery.body, delivery.headers)).toEqual([]);
      expect(() => new Webhook(endpoint.body.data.secret).verify(delivery.body, delivery.headers as Record<string, string>)).not.toThrow();
    }
  });
});
