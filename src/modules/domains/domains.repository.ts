import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionService } from '../../database/transaction.service';
import type { Mode, RequestContext } from '../../platform/context/request-context';
import { paginate } from '../../platform/pagination/paginate';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { DomainEntity, TldPriceEntity, type DomainStatus } from './entities/domain.entity';

export const DOMAIN_SORTS = ['created_at', 'expires_at', 'name'] as const;
export type DomainSort = (typeof DOMAIN_SORTS)[number];

export interface DomainFilters {
  status?: DomainStatus;
  customerId?: string;
  tld?: string;
  dateFrom?: Date;
  dateTo?: Date;
}

const SORT_COLUMNS: Record<DomainSort, { column: string; valueOf: (d: DomainEntity) => string | Date }> = {
  created_at: { column: 'd.created_at', valueOf: (d) => d.createdAt },
  expires_at: { column: 'd.expires_at', valueOf: (d) => d.expiresAt },
  name: { column: 'd.name', valueOf: (d) => d.name },
};

export type DomainChanges = Partial<Pick<DomainEntity,
  'status' | 'expiresAt' | 'autoRenew' | 'nameservers' | 'latestInvoiceId' | 'renewalInvoiceId' | 'renewalPaidAt' | 'expiringNoticeFor' | 'transferAuthHash' | 'transferRequestedAt'>>;

/** A domain found by the renewal job's cross-tenant sweep: enough to build its tenant's context. */
export interface DomainKey {
  id: string;
  tenant_id: string;
  mode: Mode;
  /** Consecutive failed job steps of the domain (0 when healthy). */
  sweep_failures: number;
}

/**
 * Every query of the domains module. Request-path queries are scoped by `ctx.tenant` and
 * `ctx.mode`; the renewal job's sweeps are cross-tenant (`domain_renewal_sweep`) and return keys
 * only, each domain then being handled with its own tenant's context.
 */
@Injectable()
export class DomainsRepository {
  constructor(private readonly tx: TransactionService) {}

  private m(ctx: RequestContext): EntityManager {
    return this.tx.managerFor(ctx);
  }

  private scope(ctx: RequestContext) {
    return { tenantId: ctx.tenant, mode: ctx.mode };
  }

  async insert(ctx: RequestContext, domain: Partial<DomainEntity>): Promise<DomainEntity> {
    const m = this.m(ctx);
    const entity = m.create(DomainEntity, { ...domain, ...this.scope(ctx) });
    await m.insert(DomainEntity, entity);
    return (await this.find(ctx, entity.id))!;
  }

  find(ctx: RequestContext, id: string): Promise<DomainEntity | null> {
    return this.m(ctx).findOneBy(DomainEntity, { id, ...this.scope(ctx) });
  }

  /** Inside a transaction: the row locked until commit. */
  findForUpdate(ctx: RequestContext, id: string): Promise<DomainEntity | null> {
    return this.m(ctx)
      .createQueryBuilder(DomainEntity, 'd')
      .setLock('pessimistic_write')
      .where('d.id = :id AND d.tenant_id = :tenant AND d.mode = :mode', { id, tenant: ctx.tenant, mode: ctx.mode })
      .getOne();
  }

  existsByName(ctx: RequestContext, name: string): Promise<boolean> {
    return this.m(ctx).existsBy(DomainEntity, { name, ...this.scope(ctx) });
  }

  /** The domain whose auto-renewal invoice this is, locked; null when none waits on it. */
  findByRenewalInvoiceForUpdate(ctx: RequestContext, invoiceId: string): Promise<DomainEntity | null> {
    return this.m(ctx)
      .createQueryBuilder(DomainEntity, 'd')
      .setLock('pessimistic_write')
      .where('d.tenant_id = :tenant AND d.mode = :mode AND d.renewal_invoice_id = :invoiceId', { tenant: ctx.tenant, mode: ctx.mode, invoiceId })
      .getOne();
  }

  countOfCustomer(ctx: RequestContext, customerId: string): Promise<number> {
    return this.m(ctx).countBy(DomainEntity, { ...this.scope(ctx), customerId });
  }

  async update(ctx: RequestContext, id: string, changes: DomainChanges): Promise<DomainEntity> {
    await this.m(ctx).update(DomainEntity, { id, ...this.scope(ctx) }, { ...changes, updatedAt: () => 'now()' } as never);
    return (await this.find(ctx, id))!;
  }

  list(ctx: RequestContext, page: PageQuery, sort: { sort: DomainSort; order: SortOrder }, filters: DomainFilters) {
    const qb = this.m(ctx)
      .createQueryBuilder(DomainEntity, 'd')
      .where('d.tenant_id = :tenant AND d.mode = :mode', { tenant: ctx.tenant, mode: ctx.mode });
    if (filters.status) qb.andWhere('d.status = :status', { status: filters.status });
    if (filters.customerId !== undefined) qb.andWhere('d.customer_id = :customerId', { customerId: filters.customerId });
    if (filters.tld !== undefined) qb.andWhere('d.tld = :tld', { tld: filters.tld });
    if (filters.dateFrom) qb.andWhere('d.created_at >= :dateFrom', { dateFrom: filters.dateFrom });
    if (filters.dateTo) qb.andWhere('d.created_at <= :dateTo', { dateTo: filters.dateTo });
    const spec = SORT_COLUMNS[sort.sort];
    return paginate(qb, page, { name: sort.sort, column: spec.column, idColumn: 'd.id', order: sort.order, valueOf: spec.valueOf, idOf: (d) => d.id });
  }

  // --- the renewal job's sweeps (cross-tenant, keys only, oldest expiry first)

  /** Active domains expiring by `cutoff` that still need their expiring notice, or (auto-renew) their renewal invoice. */
  dueForNotice(ctx: RequestContext, cutoff: Date, now: Date, limit: number, tenantId: string | null): Promise<DomainKey[]> {
    return this.sweep(ctx, `status = 'active' AND expires_at <= $4
      AND (expiring_notice_for IS DISTINCT FROM expires_at OR (auto_renew AND renewal_invoice_id IS NULL))`, now, limit, tenantId, [cutoff]);
  }

  /** Domains whose auto-renewal invoice was paid, waiting for the renewal at the registrar. */
  dueForPaidRenewal(ctx: RequestContext, now: Date, limit: number, tenantId: string | null): Promise<DomainKey[]> {
    return this.sweep(ctx, `renewal_paid_at IS NOT NULL AND renewal_paid_at <= $1`, now, limit, tenantId);
  }

  /** Active domains past their expiry (a paid renewal on its way is not expired). */
  dueForExpiry(ctx: RequestContext, now: Date, limit: number, tenantId: string | null): Promise<DomainKey[]> {
    return this.sweep(ctx, `status = 'active' AND expires_at <= $1 AND renewal_paid_at IS NULL`, now, limit, tenantId);
  }

  /**
   * Keys of due domains ($1 = now), leaving out those backed off after failures, and sharing the batch
   * fairly between tenants (each tenant's soonest expiry first, then round by round), as the services sweeps do.
   */
  private sweep(ctx: RequestContext, due: string, now: Date, limit: number, tenantId: string | null, extra: unknown[] = []): Promise<DomainKey[]> {
    return this.tx.acrossTenants('domain_renewal_sweep', (m) => m.query(
      `SELECT id, tenant_id, mode, sweep_failures FROM (
         SELECT id, tenant_id, mode, sweep_failures, expires_at, row_number() OVER (PARTITION BY tenant_id ORDER BY expires_at, id) AS turn
           FROM domains
          WHERE ${due} AND (sweep_retry_at IS NULL OR sweep_retry_at <= $1) AND ($3::text IS NULL OR tenant_id = $3)
       ) due
       ORDER BY turn, expires_at, id LIMIT $2`,
      [now, limit, tenantId, ...extra],
    ), ctx);
  }

  /** One more failed step: the domain is left out of the sweeps for 2^n minutes (at most 6 h). */
  async recordSweepFailure(ctx: RequestContext, id: string, now: Date): Promise<void> {
    await this.m(ctx).query(
      `UPDATE domains
          SET sweep_failures = sweep_failures + 1,
              sweep_retry_at = $4::timestamptz + least(interval '1 minute' * power(2, least(sweep_failures, 20)), interval '6 hours')
        WHERE id = $1 AND tenant_id = $2 AND mode = $3`,
      [id, ctx.tenant, ctx.mode, now],
    );
  }

  async clearSweepFailures(ctx: RequestContext, id: string): Promise<void> {
    await this.m(ctx).query(
      `UPDATE domains SET sweep_failures = 0, sweep_retry_at = NULL WHERE id = $1 AND tenant_id = $2 AND mode = $3 AND sweep_failures > 0`,
      [id, ctx.tenant, ctx.mode],
    );
  }

  // --- tenant TLD prices
  tldPrices(ctx: RequestContext): Promise<TldPriceEntity[]> {
    return this.m(ctx).find(TldPriceEntity, { where: this.scope(ctx), order: { tld: 'ASC' } });
  }

  async upsertTldPrice(ctx: RequestContext, row: Pick<TldPriceEntity, 'tld' | 'registrationAmount' | 'renewalAmount' | 'currency'>): Promise<TldPriceEntity> {
    await this.m(ctx).query(
      `INSERT INTO tld_prices (tenant_id, mode, tld, registration_amount, renewal_amount, currency, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (tenant_id, mode, tld) DO UPDATE
         SET registration_amount = EXCLUDED.registration_amount, renewal_amount = EXCLUDED.renewal_amount,
             currency = EXCLUDED.currency, updated_at = now()`,
      [ctx.tenant, ctx.mode, row.tld, row.registrationAmount, row.renewalAmount, row.currency],
    );
    return (await this.m(ctx).findOneBy(TldPriceEntity, { ...this.scope(ctx), tld: row.tld }))!;
  }

  async deleteTldPrice(ctx: RequestContext, tld: string): Promise<boolean> {
    const result = await this.m(ctx).delete(TldPriceEntity, { ...this.scope(ctx), tld });
    return (result.affected ?? 0) > 0;
  }
}
