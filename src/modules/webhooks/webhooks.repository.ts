import { Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { withCrossTenant } from '../../database/tenant-scope';
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
   * Creates the deliveries of one committed event for every active endpoint of its tenant and
   * mode subscribed to its type (exactly, by its family `order.*`, or `*`), in the caller's transaction. Returns only deliveries created now:
   * relaying the event again creates nothing twice (unique endpoint + event).
   */
  async fanOutEvent(ctx: RequestContext, event: { id: string; type: string }, maxAttempts: number): Promise<{ id: string }[]> {
    const m = this.m(ctx);
    const endpoints: { id: string }[] = await m.query(
      `SELECT id FROM webhook_endpoints
        WHERE tenant_id = $1 AND mode = $2 AND active AND deleted_at IS NULL
          AND ($3 = ANY(events) OR split_part($3, '.', 1) || '.*' = ANY(events) OR '*' = ANY(events))`,
      [ctx.tenant, ctx.mode, event.type],
    );
    if (endpoints.length === 0) return [];
    const rows = endpoints.map((e) => ({ id: newId('whd'), endpoint_id: e.id }));
    return m.query(
      `INSERT INTO webhook_deliveries (id, tenant_id, mode, endpoint_id, event_id, event_type, status, attempts, max_attempts, next_attempt_at)
       SELECT r.id, $2, $3, r.endpoint_id, $4, $5, 'pending', 0, $6, now()
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, endpoint_id text)
       ON CONFLICT (tenant_id, mode, endpoint_id, event_id) DO NOTHING
       RETURNING id`,
      [JSON.stringify(rows), ctx.tenant, ctx.mode, event.id, event.type, maxAttempts],
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
    await this.m(ctx).query(`SELECT pg_advisory_xact_lock(hashtextextended('webhook_endpoints:' || $1 || ':' || $2, 0))`, [ctx.tenant, ctx.mode]);
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

  /** Moves a pending delivery's due time while its job waits for a free tenant slot. */
  async postponePending(manager: EntityManager, deliveryId: string, attempt: number, delayMs: number): Promise<void> {
    await withCrossTenant(manager, 'webhook_delivery', (manager) => manager.query(
      `UPDATE webhook_deliveries SET next_attempt_at = now() + make_interval(secs => $3::float8 / 1000)
        WHERE id = $1 AND status = 'pending' AND attempts = $2 - 1`,
      [deliveryId, attempt, delayMs],
    ));
  }

  /**
   * Claims attempt number `attempt` of a delivery: only one job can move `attempts` from
   * attempt-1 to attempt, so a duplicate job for the same attempt does nothing.
   */
  async claimAttempt(manager: EntityManager, deliveryId: string, attempt: number): Promise<ClaimedAttempt | undefined> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [rows] = await withCrossTenant(manager, 'webhook_delivery', (manager) => manager.query(
      `UPDATE webhook_deliveries d SET attempts = attempts + 1, updated_at = now()
         FROM webhook_endpoints w, events e
        WHERE d.id = $1 AND d.attempts = $2 - 1 AND d.status = 'pending' AND d.attempts < d.max_attempts
          AND w.id = d.endpoint_id AND e.id = d.event_id
        RETURNING d.id, d.tenant_id, d.mode, d.attempts, d.max_attempts, d.event_id,
                  w.id AS endpoint_id, w.url, w.secret, w.active, w.deleted_at,
                  e.type, e.created_at, e.data`,
      [deliveryId, attempt],
    ));
    return (rows as ClaimedAttempt[])[0];
  }

  async recordAttempt(manager: EntityManager, attempt: Omit<WebhookAttemptEntity, 'id' | 'createdAt'>): Promise<void> {
    await withCrossTenant(manager, 'webhook_delivery', (manager) => manager.insert(WebhookAttemptEntity, { ...attempt, id: newId('wha') }));
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
