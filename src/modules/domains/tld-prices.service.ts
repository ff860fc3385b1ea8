import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { RequestContext } from '../../platform/context/request-context';
import { invalid, NotFoundError } from '../../platform/errors/domain-errors';
import type { Schemas } from '../../platform/openapi/schemas';
import { pageOfList } from '../../platform/pagination/list-page';
import type { Page } from '../../platform/pagination/page';
import type { PageQuery } from '../../platform/pagination/page-query';
import { normalizeTld, toUnicode } from './domain-name';
import { DomainsRepository } from './domains.repository';
import type { TldPriceEntity } from './entities/domain.entity';
import { mergePriceTables, type TldPriceRow } from './tld-price-table';

/**
 * The TLD price table a tenant sells by: the operator's DOMAIN_TLD_PRICES overlaid with the
 * tenant's own rows for the mode (`PUT /settings/tld-prices/{tld}`), so a hosting company sets its
 * prices and TLDs without a code change.
 */
@Injectable()
export class TldPricesService {
  private readonly defaults: TldPriceRow[];

  constructor(
    private readonly repo: DomainsRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.defaults = config.DOMAIN_TLD_PRICES.map((row) => ({ ...row, currency: config.DOMAIN_PRICE_CURRENCY, source: 'default', updatedAt: null }));
  }

  /** The tenant's whole table, keyed by ASCII TLD. */
  async table(ctx: RequestContext): Promise<Map<string, TldPriceRow>> {
    const merged = mergePriceTables(this.defaults, (await this.repo.tldPrices(ctx)).map(tenantRow));
    return new Map(merged.map((row) => [row.tld, row]));
  }

  async list(ctx: RequestContext, page: PageQuery): Promise<Page<Schemas['TldPrice']>> {
    const rows = [...(await this.table(ctx)).values()];
    return pageOfList(rows, page, { sort: 'tld', valueOf: (r) => r.tld, idOf: (r) => r.tld }).map(toTldPrice);
  }

  async put(ctx: RequestContext, tldParam: string, body: Schemas['PutTldPriceRequest']): Promise<Schemas['TldPrice']> {
    const tld = normalizeTld(tldParam);
    if (tld === null) throw invalid('tld', `"${tldParam.slice(0, 60)}" is not a valid TLD (letters, digits and hyphens per label, e.g. com or co.uk)`);
    const row = await this.repo.upsertTldPrice(ctx, { tld, registrationAmount: body.registration_amount, renewalAmount: body.renewal_amount, currency: body.currency });
    return toTldPrice(tenantRow(row));
  }

  async remove(ctx: RequestContext, tldParam: string): Promise<void> {
    const tld = normalizeTld(tldParam);
    if (tld === null || !(await this.repo.deleteTldPrice(ctx, tld))) throw new NotFoundError('TLD price', tldParam);
  }
}

function tenantRow(row: TldPriceEntity): TldPriceRow {
  return { tld: row.tld, registrationAmount: row.registrationAmount, renewalAmount: row.renewalAmount, currency: row.currency, source: 'tenant', updatedAt: row.updatedAt };
}

function toTldPrice(row: TldPriceRow): Schemas['TldPrice'] {
  return {
    tld: row.tld,
    unicode_tld: toUnicode(row.tld),
    registration_amount: row.registrationAmount,
    renewal_amount: row.renewalAmount,
    currency: row.currency,
    source: row.source,
    updated_at: row.updatedAt?.toISOString() ?? null,
  };
}
