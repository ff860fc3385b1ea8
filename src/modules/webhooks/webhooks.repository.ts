import { Injectable } from '@nestjs/common';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { jsonbLiteral, queryAcrossTenantsInOneRoundTrip, withCrossTenant } from '../../database/tenant-scope';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';
import { newId } from '../../platform/ids/ids';
import { paginate } from '../../platform/pagination/paginate';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { WebhookAttemptEntity } from './entities/webhook-attempt.entity';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';

export interface ClaimedAttempt {
  id: string;
  tenant_id: string;
  mode: 'live' | 'test';
  attempts: number;
  max_attempts: number;
  event_id: string;
  endpoint_id: string;
  url: string;
  secret: string;
  active: boolean;
  deleted_at: Date | null;
  type: string;
  created_at: Date;
  data: { object: Record<string, unknown> };
}

/** One attempt as recorded, with the state it leaves its delivery in. */
export interface AttemptRecord extends Omit<WebhookAttemptEntity, 'id' | 'createdAt'> {
  status: 'pending' | 'succeeded' | 'failed';
  nextAttemptAt: Date | null;
  lastError: string | null;
}

/** `items` split into runs in which no key repeats, in order (a repeated key starts the next run). */
function distinctBy<T>(items: T[], key: (item: T) => string): T[][] {
  const runs: T[][] = [];
  let seen = new Set<string>();
  let run: T[] = [];
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) {
      runs.push(run);
      run = [];
      seen = new Set();
    }
    seen.add(k);
    run.push(item);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** Queries of the webhooks module; endpoint and delivery reads are scoped by tenant and mode. */
@Injectable()
export class WebhooksRepository extends TenantScopedRepository {
  insertEndpoint(ctx: RequestContext, endpoint: Partial<WebhookEndpointEntity>): Promise<WebhookEndpointEntity> {
    return this.m(ctx).save(WebhookEndpointEntity, this.m(ctx).create(WebhookEndpointEntity, { ...endpoint, tenantId: ctx.tenant, mode: ctx.mode }));
  }

  /** A live (not deleted) endpoint, else NotFoundError. */
  getEndpoint(ctx: RequestContext, id: string): Promise<WebhookEndpointEntity> {
    return this.getOrThrow(ctx, WebhookEndpointEntity, 'webhook endpoint', id, { deletedAt: IsNull() });
  }

  saveEndpoint(ctx: RequestContext, endpoint: WebhookEndpointEntity): Promise<WebhookEndpointEntity> {
    return this.m(ctx).save(WebhookEndpointEntity, endpoint);
  }

  listEndpoints(ctx: RequestContext, page: PageQuery, order: SortOrder) {
    const qb = this.m(ctx)
      .createQueryBuilder(WebhookEndpointEntity, 'w')
      .where('w.tenant_id = :tenant AND w.mode = :mode AND w.deleted_at IS NULL', { tenant: ctx.tenant, mode: ctx.mode });
    return paginate(qb, page, { name: 'created_at', column: 'w.created_at', idColumn: 'w.id', order, valueOf: (w) => w.createdAt, idOf: (w) => w.id });
  }

  listDeliveries(ctx: RequestContext, endpointId: string, page: PageQuery, order: SortOrder) {
    const qb = this.m(ctx)
      .createQueryBuilder(WebhookDeliveryEntity, 'd')
      .where('d.tenant_id = :tenant AND d.mode = :mode AND d.endpoint_id = :endpointId', { tenant: ctx.tenant, mode: ctx.mode, endpointId });
    return paginate(qb, page, { name: 'created_at', column: 'd.created_at', idColumn: 'd.id', order, valueOf: (d) => d.createdAt, idOf: (d) => d.id });
  }

  attemptsOf(ctx: RequestContext, deliveryIds: string[]): Promise<WebhookAttemptEntity[]> {
    if (deliveryIds.length === 0) return Promise.resolve([]);
    return this.m(ctx)
      .createQueryBuilder(WebhookAttemptEntity, 'a')
      .where('a.tenant_id = :tenant AND a.delivery_id IN (:...ids)', { tenant: ctx.tenant, ids: deliveryIds })
      .orderBy('a.attempt', 'ASC')
      .getMany();
  }

  getDelivery(ctx: RequestContext, endpointId: string, id: string): Promise<WebhookDeliveryEntity> {
    return this.getOrThrow(ctx, WebhookDeliveryEntity, 'delivery', id, { endpointId });
  }

  /** A delivery made directly (test events go to one endpoint only, not through the fan-out). */
  async insertDelivery(ctx: RequestContext, fields: { endpointId: string; eventId: string; eventType: string; maxAttempts: number }) {
    const m = this.m(ctx);
    return m.save(
      WebhookDeliveryEntity,
      m.create(WebhookDeliveryEntity, {
        id: newId('whd'), tenantId: ctx.tenant, mode: ctx.mode, endpointId: fields.endpointId, eventId: fields.eventId,
        eventType: fields.eventType, status: 'pending', attempts: 0, maxAttempts: fields.maxAttempts, nextAttemptAt: new Date(),
      }),
    );
  }

  /** One more attempt for a finished delivery (manual redelivery). */
  async reopenDelivery(ctx: RequestContext, id: string): Promise<WebhookDeliveryEntity> {
    await this.m(ctx).query(
      `UPDATE webhook_deliveries SET status = 'pending', max_attempts = attempts + 1, next_attempt_at = now(), updated_at = now()
        WHERE id = $1 AND tenant_id = $2 AND mode = $3`,
      [id, ctx.tenant, ctx.mode],
    );
    return (await this.m(ctx).findOneBy(WebhookDeliveryEntity, { id, tenantId: ctx.tenant, mode: ctx.mode }))!;
  }

  // --- fan-out (the worker's event subscriber, under the event's tenant and mode)

  /**
   * Creates the deliveries of committed events of ctx's tenant and mode, for every active endpoint
   * subscribed to each event's type (exactly, by its family `order.*`, or `*`), in the caller's
   * transaction: two statements however many events. Returns only deliveries created now:
   * relaying an event again creates nothing twice (unique endpoint + event).
   */
  async fanOutEvents(ctx: RequestContext, events: { id: string; type: string }[], maxAttempts: number): Promise<{ id: string; event_id: string }[]> {
    if (events.length === 0) return [];
    const m = this.m(ctx);
    const pairs: { event_id: string; event_type: string; endpoint_id: string }[] = await m.query(
      `SELECT ev.id AS event_id, ev.type AS event_type, w.id AS endpoint_id
         FROM jsonb_to_recordset($3::jsonb) AS ev(id text, type text, n int)
         JOIN webhook_endpoints w
           ON w.tenant_id = $1 AND w.mode = $2 AND w.active AND w.deleted_at IS NULL
          AND (ev.type = ANY(w.events) OR split_part(ev.type, '.', 1) || '.*' = ANY(w.events) OR '*' = ANY(w.events))
        ORDER BY ev.n, w.id`,
      [ctx.tenant, ctx.mode, JSON.stringify(events.map((e, n) => ({ id: e.id, type: e.type, n })))],
    );
    if (pairs.length === 0) return [];
    const rows = pairs.map((p) => ({ ...p, id: newId('whd') }));
    return m.query(
      `INSERT INTO webhook_deliveries (id, tenant_id, mode, endpoint_id, event_id, event_type, status, attempts, max_attempts, next_attempt_at)
       SELECT r.id, $2, $3, r.endpoint_id, r.event_id, r.event_type, 'pending', 0, $4, now()
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, endpoint_id text, event_id text, event_type text)
       ON CONFLICT (tenant_id, mode, endpoint_id, event_id) DO NOTHING
       RETURNING id, event_id`,
      [JSON.stringify(rows), ctx.tenant, ctx.mode, maxAttempts],
    );
  }

  /** Endpoints of ctx's tenant and mode that are not deleted. */
  async countEndpoints(ctx: RequestContext): Promise<number> {
    const [row]: { n: number }[] = await this.m(ctx).query(
      `SELECT count(*)::int AS n FROM webhook_endpoints WHERE tenant_id = $1 AND mode = $2 AND deleted_at IS NULL`,
      [ctx.tenant, ctx.mode],
    );
    return row.n;
  }

  /**
   * Serialises endpoint creation per tenant and mode until the transaction ends, so two parallel
   * creations cannot both pass the endpoint cap.
   */
  async lockEndpointCreation(ctx: RequestContext): Promise<void> {
    await this.lockUntilCommit(ctx, 'webhook_endpoints');
  }

  /** The tenant of a delivery, for a job enqueued before jobs carried it (maintenance lookup by id). */
  async tenantOfDelivery(manager: EntityManager, deliveryId: string): Promise<string | null> {
    const [row]: { tenant_id: string }[] = await withCrossTenant(manager, 'webhook_delivery', (manager) =>
      manager.query(`SELECT tenant_id FROM webhook_deliveries WHERE id = $1`, [deliveryId]),
    );
    return row?.tenant_id ?? null;
  }

  /** Pending deliveries whose attempt is overdue: their job was lost (crash between commit and enqueue). */
  overdueDeliveries(manager: EntityManager, olderThanMs: number, limit: number): Promise<{ id: string; tenant_id: string; attempts: number }[]> {
    return withCrossTenant(manager, 'outbox_relay', (manager) => manager.query(
      `SELECT id, tenant_id, attempts FROM webhook_deliveries
        WHERE status = 'pending' AND next_attempt_at < now() - ($1 || ' milliseconds')::interval
        ORDER BY next_attempt_at LIMIT $2`,
      [String(olderThanMs), limit],
    ));
  }

  // --- delivery attempts (the worker)

  /**
   * Gives back a claimed attempt whose job goes back to the queue (its tenant's slots are busy):
   * `attempts` returns to attempt-1 so the job can claim it again, and the due time moves so the
   * overdue sweep does not take the waiting delivery for a lost one. One round trip.
   */
  async unclaimAndPostpone(dataSource: DataSource, deliveryId: string, attempt: number, delayMs: number): Promise<void> {
    await queryAcrossTenantsInOneRoundTrip(dataSource, 'webhook_delivery',
      `WITH p AS (SELECT * FROM jsonb_to_record(${jsonbLiteral({ id: deliveryId, attempt, delayMs })}) AS p(id text, attempt int, "delayMs" int))
       UPDATE webhook_deliveries d SET attempts = d.attempts - 1, next_attempt_at = now() + make_interval(secs => p."delayMs"::float8 / 1000), updated_at = now()
         FROM p WHERE d.id = p.id AND d.attempts = p.attempt AND d.status = 'pending'`);
  }

  /**
   * Claims attempt number `attempt` of each delivery, in one round trip: only one job can move
   * `attempts` from attempt-1 to attempt, so a duplicate job for the same attempt gets nothing.
   * The delivery is due again only after `leaseMs`, so the overdue sweep does not take an attempt
   * being sent for a lost one (its record sets the real next time). Rows are locked in id order,
   * so two workers' batches cannot deadlock. Answers in the order asked.
   */
  async claimAttempts(dataSource: DataSource, wanted: { deliveryId: string; attempt: number }[], leaseMs: number): Promise<(ClaimedAttempt | undefined)[]> {
    const key = (id: string, attempt: number) => `${id}:${attempt}`;
    const unique = [...new Map(wanted.map((w) => [key(w.deliveryId, w.attempt), { id: w.deliveryId, attempt: w.attempt }])).values()];
    const rows = await queryAcrossTenantsInOneRoundTrip<ClaimedAttempt>(dataSource, 'webhook_delivery',
      `WITH p AS (SELECT * FROM jsonb_to_recordset(${jsonbLiteral(unique)}) AS p(id text, attempt int)),
       claimable AS (
         SELECT d.id FROM webhook_deliveries d JOIN p ON p.id = d.id AND d.attempts = p.attempt - 1
          WHERE d.status = 'pending' AND d.attempts < d.max_attempts
          ORDER BY d.id
          FOR UPDATE OF d
       )
       UPDATE webhook_deliveries d
          SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => ${Math.trunc(leaseMs)} / 1000.0), updated_at = now()
         FROM claimable c, webhook_endpoints w, events e
        WHERE d.id = c.id AND w.id = d.endpoint_id AND e.id = d.event_id
        RETURNING d.id, d.tenant_id, d.mode, d.attempts, d.max_attempts, d.event_id,
                  w.id AS endpoint_id, w.url, w.secret, w.active, w.deleted_at,
                  e.type, e.created_at, e.data`);
    const claimed = new Map(rows.map((r) => [key(r.id, r.attempts), r]));
    // A job asked twice in one batch (a duplicate job) claims once: the first asker gets it.
    return wanted.map((w) => {
      const k = key(w.deliveryId, w.attempt);
      const row = claimed.get(k);
      claimed.delete(k);
      return row;
    });
  }

  /**
   * Records attempts and where each leaves its delivery (finished, or pending until the next
   * try), in one round trip. Two records of one delivery (a redelivery racing an attempt) go in
   * separate statements, in order. Every attempt is logged, but only the delivery's latest attempt
   * moves it: a stale attempt answering after a newer one went out changes nothing.
   */
  async recordAttempts(dataSource: DataSource, records: AttemptRecord[]): Promise<void> {
    for (const batch of distinctBy(records, (r) => r.deliveryId)) {
      await queryAcrossTenantsInOneRoundTrip(dataSource, 'webhook_delivery',
        `WITH p AS (
           SELECT * FROM jsonb_to_recordset(${jsonbLiteral(batch.map((r) => ({ ...r, id: newId('wha') })))}) AS p(
             id text, "tenantId" text, "deliveryId" text, attempt int, "statusCode" int, "latencyMs" int, error text,
             "responseExcerpt" text, status text, "nextAttemptAt" timestamptz, "lastError" text)
         ), attempt AS (
           INSERT INTO webhook_attempts (id, tenant_id, delivery_id, attempt, status_code, latency_ms, error, response_excerpt)
           SELECT id, "tenantId", "deliveryId", attempt, "statusCode", "latencyMs", error, "responseExcerpt" FROM p
         )
         UPDATE webhook_deliveries d
            SET status = p.status, next_attempt_at = p."nextAttemptAt", last_status_code = p."statusCode", last_error = p."lastError", updated_at = now()
           FROM p WHERE d.id = p."deliveryId" AND d.attempts = p.attempt`);
    }
  }

  async finishDelivery(
    manager: EntityManager,
    id: string,
    fields: { status: 'pending' | 'succeeded' | 'failed'; nextAttemptAt: Date | null; statusCode: number | null; error: string | null },
  ): Promise<void> {
    await withCrossTenant(manager, 'webhook_delivery', (manager) => manager.update(
      WebhookDeliveryEntity,
      { id },
      { status: fields.status, nextAttemptAt: fields.nextAttemptAt, lastStatusCode: fields.statusCode, lastError: fields.error },
    ));
  }

  async disableEndpoint(manager: EntityManager, endpointId: string, reason: string): Promise<void> {
    await withCrossTenant(manager, 'webhook_delivery', (manager) => manager.update(WebhookEndpointEntity, { id: endpointId }, { active: false, disabledReason: reason }));
  }
}
