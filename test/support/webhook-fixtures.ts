import { TransactionService } from '../../src/database/transaction.service';
import { EventsService } from '../../src/modules/events/events.service';
import { OutboxRelayService } from '../../src/modules/events/outbox-relay.service';
import { RequestContext } from '../../src/platform/context/request-context';
import type { TestApp } from './app';
import { signUpTenant } from './factories';
import { ownerDb } from './owner-db';
import { waitFor } from './wait';

/**
 * A new tenant with one endpoint (an unreachable URL: nothing is sent without a worker) and one
 * `customer.created` event, relayed into its pending delivery.
 */
export async function pendingWebhookDelivery(t: TestApp, shopName: string): Promise<{ tenantId: string; endpointId: string; eventId: string; deliveryId: string }> {
  const shop = await signUpTenant(t.http, shopName);
  const hook = await t.http.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/hooks', events: ['customer.created'] }, { token: shop.accessToken });
  if (hook.status !== 201) throw new Error(`webhook endpoint not created: ${hook.status}`);
  const ctx = RequestContext.system('test', shop.tenantId, 'live');
  const eventId = await t.app.get(TransactionService).run(ctx, (tx) => t.app.get(EventsService).record(tx, 'customer.created', { id: 'cus_pending' }));
  const db = await ownerDb();
  const deliveryId = await waitFor('the fan-out of the event', async () => {
    await t.app.get(OutboxRelayService).relayBatch();
    const [row] = await db.query(`SELECT id FROM webhook_deliveries WHERE event_id = $1`, [eventId]);
    return row?.id as string | undefined;
  }, 30_000);
  return { tenantId: shop.tenantId, endpointId: hook.body.data.id as string, eventId, deliveryId };
}
