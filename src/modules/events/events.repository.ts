import { Injectable } from '@nestjs/common';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';
import { paginate } from '../../platform/pagination/paginate';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { EventEntity } from './entities/event.entity';

/** Channel the outbox relay LISTENs on; PostgreSQL delivers the NOTIFY only when the event commits. */
export const OUTBOX_CHANNEL = 'cbapi_outbox';

export interface EventFilters {
  type?: string;
  from?: Date;
  to?: Date;
}

@Injectable()
export class EventsRepository extends TenantScopedRepository {
  /**
   * Inserts the event and wakes the outbox relay in ONE statement (one round trip inside the
   * caller's transaction instead of save()'s existence SELECT + INSERT + a separate pg_notify).
   * PostgreSQL still delivers the NOTIFY only when the transaction commits. `data` is stored the
   * way TypeORM stores a jsonb column (JSON.stringify).
   */
  async insertAndNotify(ctx: RequestContext, event: Pick<EventEntity, 'id' | 'type' | 'data' | 'traceParent'>): Promise<void> {
    await this.m(ctx).query(
      `WITH inserted AS (
         INSERT INTO events (id, tenant_id, mode, type, data, relayed_at, trace_parent) VALUES ($1, $2, $3, $4, $5::jsonb, NULL, $6) RETURNING id)
       SELECT pg_notify('${OUTBOX_CHANNEL}', '') FROM inserted`,
      [event.id, ctx.tenant, ctx.mode, event.type, JSON.stringify(event.data), event.traceParent],
    );
  }

  get(ctx: RequestContext, id: string): Promise<EventEntity> {
    return this.getOrThrow(ctx, EventEntity, 'event', id);
  }

  list(ctx: RequestContext, page: PageQuery, order: SortOrder, filters: EventFilters) {
    const qb = this.tx
      .managerFor(ctx)
      .createQueryBuilder(EventEntity, 'e')
      .where('e.tenant_id = :tenant AND e.mode = :mode', { tenant: ctx.tenant, mode: ctx.mode });
    if (filters.type) {
      // `order.*` matches every order event; otherwise the exact type.
      if (filters.type.endsWith('.*')) qb.andWhere('e.type LIKE :prefix', { prefix: `${filters.type.slice(0, -1)}%` });
      else qb.andWhere('e.type = :type', { type: filters.type });
    }
    if (filters.from) qb.andWhere('e.created_at >= :from', { from: filters.from });
    if (filters.to) qb.andWhere('e.created_at <= :to', { to: filters.to });
    return paginate(qb, page, {
      name: 'created_at', column: 'e.created_at', idColumn: 'e.id', order,
      valueOf: (e) => e.createdAt, idOf: (e) => e.id,
    });
  }
}
