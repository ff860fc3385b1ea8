import { Injectable } from '@nestjs/common';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';
import { paginate } from '../../platform/pagination/paginate';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { LocationEntity } from './entities/location.entity';
import { StockAlertEntity, type AlertState } from './entities/stock-alert.entity';
import { StockLevelEntity } from './entities/stock-level.entity';
import { StockMovementEntity } from './entities/stock-movement.entity';

/** One stock level's key inside a tenant and mode. */
export interface LevelKey {
  productId: string;
  variantKey: string;
  locationId: string;
}

export interface LevelRow {
  product_id: string;
  variant_key: string;
  location_id: string;
  on_hand: number;
  reserved: number;
}

export interface MovementFilters {
  locationId?: string;
  variantKey?: string;
}

/**
 * Every query of the inventory module, each scoped by `ctx.tenant` and `ctx.mode`. Stock changes
 * are single guarded statements: the `WHERE` clause decides, under the row lock PostgreSQL takes
 * for the UPDATE, whether the change is allowed, so concurrent requests cannot both pass a check.
 * UPDATEs are wrapped in a CTE so `query()` returns the RETURNING rows whatever the driver shape.
 */
@Injectable()
export class InventoryRepository extends TenantScopedRepository {
  // --- locations
  insertLocation(ctx: RequestContext, location: Pick<LocationEntity, 'id' | 'name' | 'code' | 'address'>): Promise<LocationEntity> {
    const m = this.m(ctx);
    return m.save(LocationEntity, m.create(LocationEntity, { ...location, tenantId: ctx.tenant, mode: ctx.mode }));
  }

  findLocation(ctx: RequestContext, id: string): Promise<LocationEntity | null> {
    return this.m(ctx).findOneBy(LocationEntity, { id, tenantId: ctx.tenant, mode: ctx.mode });
  }

  getLocation(ctx: RequestContext, id: string): Promise<LocationEntity> {
    return this.getOrThrow(ctx, LocationEntity, 'location', id);
  }

  /** Up to `limit` locations, oldest first: enough to tell "exactly one" from "several". */
  firstLocations(ctx: RequestContext, limit: number): Promise<LocationEntity[]> {
    return this.m(ctx).find(LocationEntity, {
      where: { tenantId: ctx.tenant, mode: ctx.mode },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: limit,
    });
  }

  listLocations(ctx: RequestContext, page: PageQuery, order: SortOrder) {
    const qb = this.m(ctx)
      .createQueryBuilder(LocationEntity, 'l')
      .where('l.tenant_id = :tenant AND l.mode = :mode', { tenant: ctx.tenant, mode: ctx.mode });
    return paginate(qb, page, {
      name: 'created_at', column: 'l.created_at', idColumn: 'l.id', order,
      valueOf: (l) => l.createdAt, idOf: (l) => l.id,
    });
  }

  // --- levels
  /** Creates the zero row of a level when it does not exist yet, so the guarded UPDATE has a row to lock. */
  async ensureLevel(ctx: RequestContext, key: LevelKey): Promise<void> {
    await this.m(ctx).query(
      `INSERT INTO stock_levels (tenant_id, mode, product_id, variant_key, location_id, on_hand, reserved, updated_at)
       VALUES ($1, $2, $3, $4, $5, 0, 0, now())
       ON CONFLICT (tenant_id, mode, product_id, variant_key, location_id) DO NOTHING`,
      [ctx.tenant, ctx.mode, key.productId, key.variantKey, key.locationId],
    );
  }

  /** on_hand += delta unless that would leave on_hand below reserved (or below zero); null when refused. */
  async addOnHand(ctx: RequestContext, key: LevelKey, delta: number): Promise<LevelRow | null> {
    // The guard adds in bigint, so a result past the integer column refuses the row (null) instead
    // of failing the statement; the caller tells that apart from "not enough stock".
    return this.guardedUpdate(ctx, key, 'on_hand = on_hand + $6',
      'on_hand::bigint + $6 >= reserved AND on_hand::bigint + $6 >= 0 AND on_hand::bigint + $6 <= 2147483647', delta);
  }

  /** reserved += qty when at least qty is available at this location; null when refused. */
  async reserve(ctx: RequestContext, key: LevelKey, qty: number): Promise<LevelRow | null> {
    return this.guardedUpdate(ctx, key, 'reserved = reserved + $6', 'on_hand - reserved >= $6', qty);
  }

  /** reserved -= qty when at least qty is reserved; null when refused. */
  async release(ctx: RequestContext, key: LevelKey, qty: number): Promise<LevelRow | null> {
    return this.guardedUpdate(ctx, key, 'reserved = reserved - $6', 'reserved >= $6', qty);
  }

  /** Ships reserved stock: on_hand -= qty and reserved -= qty when at least qty is reserved; null when refused. */
  async commit(ctx: RequestContext, key: LevelKey, qty: number): Promise<LevelRow | null> {
    return this.guardedUpdate(ctx, key, 'on_hand = on_hand - $6, reserved = reserved - $6', 'reserved >= $6', qty);
  }

  /** Takes a commit back: on_hand += qty and reserved += qty, unless on_hand would pass the integer column; null when refused. */
  async uncommit(ctx: RequestContext, key: LevelKey, qty: number): Promise<LevelRow | null> {
    return this.guardedUpdate(ctx, key, 'on_hand = on_hand + $6, reserved = reserved + $6', 'on_hand::bigint + $6 <= 2147483647', qty);
  }

  private async guardedUpdate(ctx: RequestContext, key: LevelKey, set: string, guard: string, qty: number): Promise<LevelRow | null> {
    const rows: LevelRow[] = await this.m(ctx).query(
      `WITH changed AS (
         UPDATE stock_levels SET ${set}, updated_at = now()
          WHERE tenant_id = $1 AND mode = $2 AND product_id = $3 AND variant_key = $4 AND location_id = $5 AND ${guard}
          RETURNING product_id, variant_key, location_id, on_hand, reserved)
       SELECT * FROM changed`,
      [ctx.tenant, ctx.mode, key.productId, key.variantKey, key.locationId, qty],
    );
    return rows[0] ?? null;
  }

  /**
   * The common case of a reservation in ONE statement: picks the level of this product/variant
   * with the most available (at least `qty`; ties by location id, as `candidatesFor` orders them),
   * reserves there with the same guard as `reserve`, records the 'reservation' movement, and says
   * whether the product has any stock alert (so the caller can skip the alert evaluation). Null
   * when nothing was reserved: no location has enough, or a concurrent change took the units after
   * the pick (the guard is re-checked on the locked row); the caller then falls back to the
   * candidate-by-candidate loop, which decides between the two.
   */
  async reserveAtBest(
    ctx: RequestContext,
    productId: string,
    variantKey: string,
    qty: number,
    movement: { id: string; reference: string },
  ): Promise<{ locationId: string; productHasAlerts: boolean } | null> {
    const rows: { location_id: string; has_alerts: boolean }[] = await this.m(ctx).query(
      `WITH pick AS (
         SELECT location_id FROM stock_levels
          WHERE tenant_id = $1 AND mode = $2 AND product_id = $3 AND variant_key = $4 AND on_hand - reserved >= $5
          ORDER BY on_hand - reserved DESC, location_id ASC LIMIT 1),
       changed AS (
         UPDATE stock_levels s SET reserved = s.reserved + $5, updated_at = now() FROM pick
          WHERE s.tenant_id = $1 AND s.mode = $2 AND s.product_id = $3 AND s.variant_key = $4
            AND s.location_id = pick.location_id AND s.on_hand - s.reserved >= $5
          RETURNING s.location_id),
       moved AS (
         INSERT INTO stock_movements (id, tenant_id, mode, product_id, variant_key, location_id, kind, reason,
                                      quantity_on_hand_delta, quantity_reserved_delta, note, reference)
         SELECT $6::text, $1, $2, $3, $4, location_id, 'reservation', NULL, 0, $5, NULL, $7::text FROM changed)
       SELECT location_id,
              EXISTS (SELECT 1 FROM stock_alerts WHERE tenant_id = $1 AND mode = $2 AND product_id = $3) AS has_alerts
         FROM changed`,
      [ctx.tenant, ctx.mode, productId, variantKey, qty, movement.id, movement.reference],
    );
    return rows[0] ? { locationId: rows[0].location_id, productHasAlerts: rows[0].has_alerts } : null;
  }

  findLevel(ctx: RequestContext, key: LevelKey): Promise<StockLevelEntity | null> {
    return this.m(ctx).findOneBy(StockLevelEntity, { tenantId: ctx.tenant, mode: ctx.mode, ...key });
  }

  /** Every level of a product (itself and its variants), in a stable order. */
  levelsOfProduct(ctx: RequestContext, productId: string): Promise<StockLevelEntity[]> {
    return this.m(ctx).find(StockLevelEntity, {
      where: { tenantId: ctx.tenant, mode: ctx.mode, productId },
      order: { variantKey: 'ASC', locationId: 'ASC' },
    });
  }

  /** Levels of one product/variant with at least `qty` available, the most available first. */
  candidatesFor(ctx: RequestContext, productId: string, variantKey: string, qty: number): Promise<StockLevelEntity[]> {
    return this.m(ctx)
      .createQueryBuilder(StockLevelEntity, 's')
      .where('s.tenant_id = :tenant AND s.mode = :mode AND s.product_id = :productId AND s.variant_key = :variantKey', {
        tenant: ctx.tenant, mode: ctx.mode, productId, variantKey,
      })
      .andWhere('s.on_hand - s.reserved >= :qty', { qty })
      .orderBy('s.on_hand - s.reserved', 'DESC')
      .addOrderBy('s.location_id', 'ASC')
      .getMany();
  }

  /** Available units of a product across its variants, at one location or all of them. */
  async availableOfProduct(ctx: RequestContext, productId: string, locationId: string | null): Promise<number> {
    const [row]: { available: string | null }[] = await this.m(ctx).query(
      `SELECT sum(on_hand - reserved) AS available FROM stock_levels
        WHERE tenant_id = $1 AND mode = $2 AND product_id = $3 AND ($4::text IS NULL OR location_id = $4)`,
      [ctx.tenant, ctx.mode, productId, locationId],
    );
    return Number(row?.available ?? 0);
  }

  /**
   * Serialises reservation changes of one order (or other reference) for the rest of the
   * transaction, so two releases of the same order cannot both read the same outstanding amount.
   */
  async lockReference(ctx: RequestContext, reference: string): Promise<void> {
    await this.lockUntilCommit(ctx, 'stock', [reference]);
  }

  /** What a reference still holds reserved, per location, for one product/variant (from the ledger). */
  async reservedByReference(ctx: RequestContext, reference: string, productId: string, variantKey: string): Promise<{ locationId: string; reserved: number }[]> {
    const rows: { location_id: string; reserved: string }[] = await this.m(ctx).query(
      `SELECT location_id, sum(quantity_reserved_delta) AS reserved FROM stock_movements
        WHERE tenant_id = $1 AND mode = $2 AND reference = $3 AND product_id = $4 AND variant_key = $5
        GROUP BY location_id HAVING sum(quantity_reserved_delta) > 0 ORDER BY location_id`,
      [ctx.tenant, ctx.mode, reference, productId, variantKey],
    );
    return rows.map((r) => ({ locationId: r.location_id, reserved: Number(r.reserved) }));
  }

  // --- movements
  async insertMovement(ctx: RequestContext, movement: Omit<StockMovementEntity, 'tenantId' | 'mode' | 'createdAt'>): Promise<StockMovementEntity> {
    const m = this.m(ctx);
    // insert(), not save(): the id is new, so save()'s "does it exist?" SELECT is a wasted round trip.
    const entity = m.create(StockMovementEntity, { ...movement, tenantId: ctx.tenant, mode: ctx.mode });
    await m.insert(StockMovementEntity, entity);
    return entity;
  }

  listMovements(ctx: RequestContext, productId: string, page: PageQuery, order: SortOrder, filters: MovementFilters) {
    const qb = this.m(ctx)
      .createQueryBuilder(StockMovementEntity, 'mv')
      .where('mv.tenant_id = :tenant AND mv.mode = :mode AND mv.product_id = :productId', { tenant: ctx.tenant, mode: ctx.mode, productId });
    if (filters.locationId) qb.andWhere('mv.location_id = :locationId', { locationId: filters.locationId });
    if (filters.variantKey !== undefined) qb.andWhere('mv.variant_key = :variantKey', { variantKey: filters.variantKey });
    return paginate(qb, page, {
      name: 'created_at', column: 'mv.created_at', idColumn: 'mv.id', order,
      valueOf: (mv) => mv.createdAt, idOf: (mv) => mv.id,
    });
  }

  // --- alerts
  insertAlert(ctx: RequestContext, alert: Pick<StockAlertEntity, 'id' | 'productId' | 'locationId' | 'threshold' | 'state'>): Promise<StockAlertEntity> {
    const m = this.m(ctx);
    return m.save(StockAlertEntity, m.create(StockAlertEntity, { ...alert, tenantId: ctx.tenant, mode: ctx.mode }));
  }

  findAlert(ctx: RequestContext, productId: string, id: string): Promise<StockAlertEntity | null> {
    return this.m(ctx).findOneBy(StockAlertEntity, { id, productId, tenantId: ctx.tenant, mode: ctx.mode });
  }

  alertsOfProduct(ctx: RequestContext, productId: string): Promise<StockAlertEntity[]> {
    return this.m(ctx).find(StockAlertEntity, {
      where: { tenantId: ctx.tenant, mode: ctx.mode, productId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  listAlerts(ctx: RequestContext, productId: string, page: PageQuery, order: SortOrder) {
    const qb = this.m(ctx)
      .createQueryBuilder(StockAlertEntity, 'a')
      .where('a.tenant_id = :tenant AND a.mode = :mode AND a.product_id = :productId', { tenant: ctx.tenant, mode: ctx.mode, productId });
    return paginate(qb, page, {
      name: 'created_at', column: 'a.created_at', idColumn: 'a.id', order,
      valueOf: (a) => a.createdAt, idOf: (a) => a.id,
    });
  }

  /** Moves an alert from the state it was read in to the next; false when another change moved it first. */
  async transitionAlert(ctx: RequestContext, id: string, from: AlertState, to: AlertState): Promise<boolean> {
    const rows: { id: string }[] = await this.m(ctx).query(
      `WITH changed AS (
         UPDATE stock_alerts SET state = $5 WHERE tenant_id = $1 AND mode = $2 AND id = $3 AND state = $4 RETURNING id)
       SELECT id FROM changed`,
      [ctx.tenant, ctx.mode, id, from, to],
    );
    return rows.length === 1;
  }

  async deleteAlert(ctx: RequestContext, productId: string, id: string): Promise<boolean> {
    const result = await this.m(ctx).delete(StockAlertEntity, { id, productId, tenantId: ctx.tenant, mode: ctx.mode });
    return (result.affected ?? 0) > 0;
  }
}
