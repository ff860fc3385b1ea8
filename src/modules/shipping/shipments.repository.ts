import { Injectable } from '@nestjs/common';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';
import { paginate } from '../../platform/pagination/paginate';
import type { PageQuery } from '../../platform/pagination/page-query';
import { ShipmentEntity, ShipmentEventEntity } from './entities/shipment.entity';
import type { ShipmentStatus } from './shipment-status';

export interface ShipmentFilters {
  orderId?: string;
  customerId?: string;
  status?: ShipmentStatus;
}

/** Shipments and their tracking events; every query scoped by `ctx.tenant` and `ctx.mode`. */
@Injectable()
export class ShipmentsRepository extends TenantScopedRepository {
  async insertShipment(ctx: RequestContext, shipment: Omit<ShipmentEntity, 'tenantId' | 'mode' | 'createdAt' | 'updatedAt'>): Promise<ShipmentEntity> {
    const m = this.m(ctx);
    const entity = m.create(ShipmentEntity, { ...shipment, ...this.scope(ctx) });
    await m.insert(ShipmentEntity, entity);
    return (await this.findShipment(ctx, shipment.id))!;
  }

  findShipment(ctx: RequestContext, id: string): Promise<ShipmentEntity | null> {
    return this.m(ctx).findOneBy(ShipmentEntity, { id, ...this.scope(ctx) });
  }

  findByTracking(ctx: RequestContext, carrier: string, trackingNumber: string): Promise<ShipmentEntity | null> {
    return this.m(ctx).findOneBy(ShipmentEntity, { carrier, trackingNumber, ...this.scope(ctx) });
  }

  /** Inside a transaction: the shipment row locked until commit (tracking updates of one shipment in turn). */
  findShipmentForUpdate(ctx: RequestContext, id: string): Promise<ShipmentEntity | null> {
    return this.m(ctx)
      .createQueryBuilder(ShipmentEntity, 's')
      .setLock('pessimistic_write')
      .where('s.id = :id AND s.tenant_id = :tenant AND s.mode = :mode', { id, tenant: ctx.tenant, mode: ctx.mode })
      .getOne();
  }

  /** Moves the status only if it still is `expected`; false when another change won. */
  async moveStatus(ctx: RequestContext, id: string, expected: ShipmentStatus, next: ShipmentStatus, at: Date): Promise<boolean> {
    const stamp = next === 'in_transit' ? { inTransitAt: at } : next === 'delivered' ? { deliveredAt: at } : next === 'cancelled' ? { cancelledAt: at } : {};
    const result = await this.m(ctx)
      .createQueryBuilder()
      .update(ShipmentEntity)
      .set({ status: next, ...stamp, updatedAt: () => 'now()' })
      .where('id = :id AND tenant_id = :tenant AND mode = :mode AND status = :expected', { id, tenant: ctx.tenant, mode: ctx.mode, expected })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Statuses of the order's shipments that were not cancelled. */
  async liveStatusesOfOrder(ctx: RequestContext, orderId: string): Promise<ShipmentStatus[]> {
    const rows = await this.m(ctx).find(ShipmentEntity, { select: { status: true }, where: { orderId, ...this.scope(ctx) } });
    return rows.map((r) => r.status).filter((s) => s !== 'cancelled');
  }

  list(ctx: RequestContext, page: PageQuery, filters: ShipmentFilters) {
    const qb = this.m(ctx)
      .createQueryBuilder(ShipmentEntity, 's')
      .where('s.tenant_id = :tenant AND s.mode = :mode', { tenant: ctx.tenant, mode: ctx.mode });
    if (filters.orderId) qb.andWhere('s.order_id = :orderId', { orderId: filters.orderId });
    if (filters.customerId !== undefined) qb.andWhere('s.customer_id = :customerId', { customerId: filters.customerId });
    if (filters.status) qb.andWhere('s.status = :status', { status: filters.status });
    return paginate(qb, page, {
      name: 'created_at', column: 's.created_at', idColumn: 's.id', order: 'desc',
      valueOf: (s) => s.createdAt, idOf: (s) => s.id,
    });
  }

  // --- tracking events
  /** False when this carrier event was recorded before (a redelivery): the unique key decides. */
  async insertEvent(ctx: RequestContext, e: Omit<ShipmentEventEntity, 'tenantId' | 'mode' | 'createdAt'>): Promise<boolean> {
    const rows: { id: string }[] = await this.m(ctx).query(
      `INSERT INTO shipment_events (id, tenant_id, mode, shipment_id, status, description, location, source, carrier_event_id, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (tenant_id, mode, shipment_id, carrier_event_id) WHERE carrier_event_id IS NOT NULL DO NOTHING
       RETURNING id`,
      [e.id, ctx.tenant, ctx.mode, e.shipmentId, e.status, e.description, e.location, e.source, e.carrierEventId, e.occurredAt],
    );
    return rows.length === 1;
  }

  eventsOf(ctx: RequestContext, shipmentId: string): Promise<ShipmentEventEntity[]> {
    return this.m(ctx).find(ShipmentEventEntity, {
      where: { shipmentId, ...this.scope(ctx) },
      order: { occurredAt: 'ASC', createdAt: 'ASC', id: 'ASC' },
    });
  }
}
