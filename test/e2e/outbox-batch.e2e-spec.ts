import { Injectable, Module } from '@nestjs/common';
import { TransactionService } from '../../src/database/transaction.service';
import { EVENT_SUBSCRIBER, type AfterCommit, type EventSubscriber, type RelayedEvent } from '../../src/modules/events/event-subscriber.port';
import { EventsService } from '../../src/modules/events/events.service';
import { OutboxRelayService } from '../../src/modules/events/outbox-relay.service';
import { RequestContext } from '../../src/platform/context/request-context';
import { startTestApp, type TestApp } from '../support/app';
import { signUpTenant, type TenantFixture } from '../support/factories';
import { ownerDb } from '../support/owner-db';
import { waitFor } from '../support/wait';

/** A subscriber with a batch path that fails when any event of the batch is poisoned, and a one-by-one path that fails on the poison alone. */
@Injectable()
class ProbeSubscriber implements EventSubscriber {
  readonly subscriberName = 'batch-probe';
  readonly batches: string[][] = [];
  readonly oneByOne: string[] = [];
  readonly afterCommit: string[] = [];

  wants(type: string): boolean {
    return type === 'customer.created';
  }

  async handleBatch(_ctx: RequestContext, events: RelayedEvent[]): Promise<Map<string, AfterCommit>> {
    this.batches.push(events.map((e) => e.id));
    if (events.some((e) => e.data.object.poison)) throw new Error('poisoned batch');
    return new Map(events.map((e) => [e.id, async () => void this.afterCommit.push(e.id)]));
  }

  async handle(_ctx: RequestContext, event: RelayedEvent): Promise<AfterCommit> {
    if (event.data.object.poison) throw new Error('poisoned event');
    this.oneByOne.push(event.id);
    return async () => void this.afterCommit.push(event.id);
  }
}

@Module({ providers: [ProbeSubscriber, { provide: EVENT_SUBSCRIBER, useExisting: ProbeSubscriber }] })
class ProbeModule {}

/**
 * The relay hands a subscriber with `handleBatch` each tenant's events of a batch at once; when
 * that batch fails, only its work is rolled back and the events go one by one, so the poison event
 * alone is retried while the others (and the other subscribers' batches) go through.
 */
describe('outbox relay in batches (e2e)', () => {
  let t: TestApp;
  let probe: ProbeSubscriber;

  beforeAll(async () => {
    t = await startTestApp({ extraModules: [ProbeModule] });
    probe = t.app.get(ProbeSubscriber);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function emit(tenant: TenantFixture, objects: object[]): Promise<string[]> {
    const ctx = RequestContext.system('test', tenant.tenantId, 'live');
    return t.app.get(TransactionService).run(ctx, async (tx) => {
      const ids: string[] = [];
      for (const object of objects) ids.push(await t.app.get(EventsService).record(tx, 'customer.created', object));
      return ids;
    });
  }

  /** Relays until every one of `ids` was claimed at least once (other files' leftovers may share the batches). */
  async function relayUntilClaimed(ids: string[]): Promise<void> {
    const db = await ownerDb();
    await waitFor('the events to be claimed', async () => {
      await t.app.get(OutboxRelayService).relayBatch();
      const [row] = await db.query(`SELECT count(*)::int AS n FROM events WHERE id = ANY($1) AND (relayed_at IS NOT NULL OR relay_attempts > 0)`, [ids]);
      return row.n === ids.length;
    }, 30_000);
  }

  async function hookFor(tenant: TenantFixture): Promise<string> {
    const res = await t.http.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/hooks', events: ['customer.created'] }, { token: tenant.accessToken });
    expect(res.status).toBe(201);
    return res.body.data.id;
  }

  async function deliveriesOf(endpointId: string): Promise<string[]> {
    const rows: { event_id: string }[] = await (await ownerDb()).query(`SELECT event_id FROM webhook_deliveries WHERE endpoint_id = $1`, [endpointId]);
    return rows.map((r) => r.event_id).sort();
  }

  it("takes each tenant's events of a batch in one call, and fans out webhooks for both tenants", async () => {
    const [a, b] = [await signUpTenant(t.http, 'Batch shop A'), await signUpTenant(t.http, 'Batch shop B')];
    const [hookA, hookB] = [await hookFor(a), await hookFor(b)];
    const idsA = await emit(a, [{ id: 'cus_a1' }, { id: 'cus_a2' }, { id: 'cus_a3' }]);
    const idsB = await emit(b, [{ id: 'cus_b1' }, { id: 'cus_b2' }]);
    await relayUntilClaimed([...idsA, ...idsB]);

    expect(probe.batches).toEqual(expect.arrayContaining([expect.arrayContaining(idsA), expect.arrayContaining(idsB)]));
    expect(probe.batches.find((batch) => batch.includes(idsA[0]))!.filter((id) => idsB.includes(id))).toEqual([]);
    expect(probe.oneByOne.filter((id) => [...idsA, ...idsB].includes(id))).toEqual([]);
    expect(probe.afterCommit).toEqual(expect.arrayContaining([...idsA, ...idsB]));
    expect(await deliveriesOf(hookA)).toEqual([...idsA].sort());
    expect(await deliveriesOf(hookB)).toEqual([...idsB].sort());
  });

  it('rolls back only a failed batch: its events go one by one, the poison alone is retried, the webhooks all go out', async () => {
    const shop = await signUpTenant(t.http, 'Poisoned batch shop');
    const hook = await hookFor(shop);
    const [good1, poison, good2] = await emit(shop, [{ id: 'cus_1' }, { id: 'cus_2', poison: true }, { id: 'cus_3' }]);
    await relayUntilClaimed([good1, poison, good2]);

    expect(probe.batches).toContainEqual(expect.arrayContaining([good1, poison, good2]));
    expect(probe.oneByOne).toEqual(expect.arrayContaining([good1, good2]));
    expect(probe.oneByOne).not.toContain(poison);
    expect(probe.afterCommit).toEqual(expect.arrayContaining([good1, good2]));
    expect(probe.afterCommit).not.toContain(poison);

    const get = (id: string) => t.http.get(`/api/v1/events/${id}`, { token: shop.accessToken });
    expect((await get(good1)).body.data.delivery_status).toBe('relayed');
    expect((await get(good2)).body.data.delivery_status).toBe('relayed');
    const failed = (await get(poison)).body.data;
    expect(failed.delivery_status).toBe('retrying');
    expect(failed.dead_letter).toMatchObject({ attempts: 1, failed_subscribers: ['batch-probe'] });
    expect(failed.dead_letter.last_error).toMatch(/^batch-probe: poisoned event/);
    // The webhook fan-out's own batch was not rolled back with the probe's: every event has its delivery.
    expect(await deliveriesOf(hook)).toEqual([good1, poison, good2].sort());
  });
});
