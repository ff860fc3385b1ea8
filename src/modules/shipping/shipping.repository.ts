import { Injectable } from '@nestjs/common';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';
import { paginate } from '../../platform/pagination/paginate';
import type { PageQuery } from '../../platform/pagination/page-query';
import { ShippingRateQuoteEntity } from './entities/shipping-rate-quote.entity';
import { ShippingSettingsEntity } from './entities/shipping-settings.entity';
import { ShippingZoneEntity } from './entities/shipping-zone.entity';

/** Zones, settings and rate quotes; every query scoped by `ctx.tenant` and `ctx.mode`. */
@Injectable()
export class ShippingRepository extends TenantScopedRepository {
  // --- zones
  async insertZone(ctx: RequestContext, zone: Pick<ShippingZoneEntity, 'id' | 'name' | 'countries' | 'regions' | 'services'>): Promise<ShippingZoneEntity> {
    const m = this.m(ctx);
    return m.save(ShippingZoneEntity, m.create(ShippingZoneEntity, { ...zone, ...this.scope(ctx) }));
  }

  async replaceZone(ctx: RequestContext, id: string, zone: Pick<ShippingZoneEntity, 'name' | 'countries' | 'regions' | 'services'>): Promise<ShippingZoneEntity | null> {
    const result = await this.m(ctx).update(ShippingZoneEntity, { id, ...this.scope(ctx) }, { ...zone, updatedAt: () => 'now()' });
    return result.affected ? this.findZone(ctx, id) : null;
  }

  findZone(ctx: RequestContext, id: string): Promise<ShippingZoneEntity | null> {
    return this.m(ctx).findOneBy(ShippingZoneEntity, { id, ...this.scope(ctx) });
  }

  async deleteZone(ctx: RequestContext, id: string): Promise<boolean> {
    const result = await this.m(ctx).delete(ShippingZoneEntity, { id, ...this.scope(ctx) });
    return (result.affected ?? 0) > 0;
  }

  /** Every zone of the tenant (a rate quote reads them all: a tenant has a handful). */
  allZones(ctx: RequestContext): Promise<ShippingZoneEntity[]> {
    return this.m(ctx).find(ShippingZoneEntity, { where: { ...this.scope(ctx) }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  listZones(ctx: RequestContext, page: PageQuery) {
    const qb = this.m(ctx)
      .createQueryBuilder(ShippingZoneEntity, 'z')
      .where('z.tenant_id = :tenant AND z.mode = :mode', { tenant: ctx.tenant, mode: ctx.mode });
    return paginate(qb, page, {
      name: 'created_at', column: 'z.created_at', idColumn: 'z.id', order: 'asc',
      valueOf: (z) => z.createdAt, idOf: (z) => z.id,
    });
  }

  // --- settings
  findSettings(ctx: RequestContext): Promise<ShippingSettingsEntity | null> {
    return this.m(ctx).findOneBy(ShippingSettingsEntity, { ...this.scope(ctx) });
  }

  /** Insert or update in one statement, so two first changes at once cannot both insert. */
  async upsertSettings(ctx: RequestContext, settings: Pick<ShippingSettingsEntity, 'origin' | 'dimensionalDivisor' | 'freeShippingThresholds'>): Promise<ShippingSettingsEntity> {
    await this.m(ctx).query(
      `INSERT INTO shipping_settings (tenant_id, mode, origin, dimensional_divisor, free_shipping_thresholds, updated_at)
       VALUES ($1, $2, $3::jsonb, $4, $5::jsonb, now())
       ON CONFLICT (tenant_id, mode) DO UPDATE
         SET origin = EXCLUDED.origin, dimensional_divisor = EXCLUDED.dimensional_divisor,
             free_shipping_thresholds = EXCLUDED.free_shipping_thresholds, updated_at = now()`,
      [ctx.tenant, ctx.mode, JSON.stringify(settings.origin), settings.dimensionalDivisor, JSON.stringify(settings.freeShippingThresholds)],
    );
    return (await this.findSettings(ctx))!;
  }

  // --- quotes
  async insertQuotes(ctx: RequestContext, quotes: Omit<ShippingRateQuoteEntity, 'tenantId' | 'mode' | 'createdAt'>[]): Promise<void> {
    if (quotes.length === 0) return;
    const m = this.m(ctx);
    await m.insert(ShippingRateQuoteEntity, quotes.map((q) => m.create(ShippingRateQuoteEntity, { ...q, ...this.scope(ctx) })));
  }

  findQuote(ctx: RequestContext, id: string): Promise<ShippingRateQuoteEntity | null> {
    return this.m(ctx).findOneBy(ShippingRateQuoteEntity, { id, ...this.scope(ctx) });
  }
}
