import { Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { NotFoundError, ValidationError } from '../../platform/errors/domain-errors';
import { newId, parseIdOr404 } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import type { Page } from '../../platform/pagination/page';
import type { PageQuery } from '../../platform/pagination/page-query';
import { assertTiers } from './carriers/rate-table';
import type { ZoneServiceValue } from './entities/shipping-zone.entity';
import { DEFAULT_DIMENSIONAL_DIVISOR, toSettings, toZone } from './shipping.mappers';
import { ShippingRepository } from './shipping.repository';

function zoneValue(body: Schemas['ShippingZoneRequest']) {
  const countries = [...new Set(body.countries ?? [])];
  const regions = [...new Set(body.regions ?? [])];
  if (countries.length === 0 && regions.length === 0) {
    throw new ValidationError('A zone names at least one country or region', [{ field: 'countries', message: 'name at least one country or region' }]);
  }
  const seen = new Set<string>();
  const services: ZoneServiceValue[] = body.services.map((s, i) => {
    if (seen.has(s.service)) {
      throw new ValidationError(`services[${i}].service '${s.service}' appears twice`, [{ field: `services[${i}].service`, message: 'appears twice' }]);
    }
    seen.add(s.service);
    const tiers = s.tiers.map((t) => ({ maxWeightGrams: t.max_weight_grams, amount: t.amount }));
    assertTiers(tiers, `services[${i}].tiers`);
    return { service: s.service, name: s.name ?? s.service, currency: s.currency, estimatedDays: s.estimated_days ?? 0, tiers, extraPerKg: s.extra_per_kg ?? null };
  });
  return { name: body.name, countries, regions, services };
}

/** The tenant-editable side of shipping: table-rate zones and the settings (origin, divisor, free-shipping thresholds). */
@Injectable()
export class ShippingConfigService {
  constructor(
    private readonly repo: ShippingRepository,
    private readonly tx: TransactionService,
  ) {}

  async listZones(ctx: RequestContext, page: PageQuery): Promise<Page<Schemas['ShippingZone']>> {
    return (await this.repo.listZones(ctx, page)).map(toZone);
  }

  async getZone(ctx: RequestContext, id: string): Promise<Schemas['ShippingZone']> {
    const zone = await this.repo.findZone(ctx, parseIdOr404(id, 'shz', 'shipping zone'));
    if (!zone) throw new NotFoundError('shipping zone', id);
    return toZone(zone);
  }

  async createZone(ctx: RequestContext, body: Schemas['ShippingZoneRequest']): Promise<Schemas['ShippingZone']> {
    const value = zoneValue(body);
    return toZone(await this.tx.run(ctx, (txCtx) => this.repo.insertZone(txCtx, { id: newId('shz'), ...value })));
  }

  async replaceZone(ctx: RequestContext, id: string, body: Schemas['ShippingZoneRequest']): Promise<Schemas['ShippingZone']> {
    const value = zoneValue(body);
    const zone = await this.tx.run(ctx, (txCtx) => this.repo.replaceZone(txCtx, parseIdOr404(id, 'shz', 'shipping zone'), value));
    if (!zone) throw new NotFoundError('shipping zone', id);
    return toZone(zone);
  }

  async deleteZone(ctx: RequestContext, id: string): Promise<void> {
    const deleted = await this.tx.run(ctx, (txCtx) => this.repo.deleteZone(txCtx, parseIdOr404(id, 'shz', 'shipping zone')));
    if (!deleted) throw new NotFoundError('shipping zone', id);
  }

  async settings(ctx: RequestContext): Promise<Schemas['ShippingSettings']> {
    return toSettings(await this.repo.findSettings(ctx));
  }

  async updateSettings(ctx: RequestContext, body: Schemas['UpdateShippingSettingsRequest']): Promise<Schemas['ShippingSettings']> {
    const thresholds = body.free_shipping_thresholds;
    if (thresholds) {
      const currencies = thresholds.map((t) => t.currency);
      const twice = currencies.findIndex((c, i) => currencies.indexOf(c) !== i);
      if (twice >= 0) {
        throw new ValidationError(`free_shipping_thresholds[${twice}]: one threshold per currency`, [{ field: `free_shipping_thresholds[${twice}].currency`, message: 'appears twice' }]);
      }
    }
    return this.tx.run(ctx, async (txCtx) => {
      const current = await this.repo.findSettings(txCtx);
      const saved = await this.repo.upsertSettings(txCtx, {
        origin: body.origin ?? current?.origin ?? null,
        dimensionalDivisor: body.dimensional_divisor ?? current?.dimensionalDivisor ?? DEFAULT_DIMENSIONAL_DIVISOR,
        freeShippingThresholds: thresholds ?? current?.freeShippingThresholds ?? [],
      });
      return toSettings(saved);
    });
  }
}
