import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { In, Not } from 'typeorm';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { Mode, RequestContext } from '../../platform/context/request-context';
import { paginate } from '../../platform/pagination/paginate';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { CheckoutLinkEntity, ServiceEntity, ServicePeriodEntity } from './entities/service.entity';
import type { BillingCycle, ServiceStatus } from './service-status';

export const SERVICE_SORTS = ['created_at', 'updated_at', 'current_period_end'] as const;
export type ServiceSort = (typeof SERVICE_SORTS)[number];

export interface ServiceFilters {
  status?: ServiceStatus;
  customerId?: string;
  productId?: string;
  tier?: string;
  billingCycle?: BillingCycle;
  dateFrom?: Date;
  dateTo?: Date;
}

const SORT_COLUMNS: Record<ServiceSort, { column: string; valueOf: (s: ServiceEntity) => number | Date }> = {
  created_at: { column: 's.created_at', valueOf: (s) => s.createdAt },
  updated_at: { column: 's.updated_at', valueOf: (s) => s.updatedAt },
  current_period_end: { column: 's.current_period_end', valueOf: (s) => s.currentPeriodEnd },
};

/** Fields a guarded transition or a change may set along with (or without) the status. */
export type ServiceChanges = Partial<Pick<ServiceEntity,
  'tier' | 'tierId' | 'billingCycle' | 'price' | 'currency' | 'anchorDay' | 'currentPeriodStart' | 'currentPeriodEnd' | 'creditBalance' |
  'latestInvoiceId' | 'lastProration' | 'pastDueSince' | 'nextRetryAt' | 'retryCount' | 'activatedAt' | 'suspendedAt' | 'terminatedAt'>>;

/** A service row found by a cross-tenant worker sweep: enough to build its tenant's context. */
export interface ServiceKey {
  id: string;
  tenant_id: string;
  mode: Mode;
  /** Consecutive failed worker steps of the service (0 when healthy). */
  sweep_failures?: number;
}

/**
 * Every query of the subscriptions module. Request-path queries are scoped by `ctx.tenant` and
 * `ctx.mode`; the worker's sweeps (`due…`) are deliberately cross-tenant and return keys only, each
 * row then being worked on with its own tenant's context.
 */
@Injectable()
export class ServicesRepository extends TenantScopedRepository {
  /** Serialises checkouts of one offer by one account until the caller's transaction ends. */
  async lockCheckoutOffer(ctx: RequestContext, accountRefId: string | null, productId: string, tierId: string | null): Promise<void> {
    await this.lockUntilCommit(ctx, 'checkout', [accountRefId ?? '-', productId, tierId ?? '-']);
  }

  // --- services
  async insertService(ctx: RequestContext, service: Partial<ServiceEntity>): Promise<ServiceEntity> {
    const m = this.m(ctx);
    const entity = m.create(ServiceEntity, { ...service, ...this.scope(ctx) });
    await m.insert(ServiceEntity, entity);
    return (await this.findService(ctx, entity.id))!;
  }

  findService(ctx: RequestContext, id: string): Promise<ServiceEntity | null> {
    return this.m(ctx).findOneBy(ServiceEntity, { id, ...this.scope(ctx) });
  }

  /** Inside a transaction: the row locked until commit. */
  findServiceForUpdate(ctx: RequestContext, id: string): Promise<ServiceEntity | null> {
    return this.m(ctx)
      .createQueryBuilder(ServiceEntity, 's')
      .setLock('pessimistic_write')
      .where('s.id = :id AND s.tenant_id = :tenant AND s.mode = :mode', { id, tenant: ctx.tenant, mode: ctx.mode })
      .getOne();
  }

  /**
   * Moves the status only if it is still one of `expected` (the database decides between
   * concurrent transitions); the row as updated, or null when it was not in an expected status.
   */
  async transition(ctx: RequestContext, id: string, expected: readonly ServiceStatus[], next: ServiceStatus, changes: ServiceChanges = {}): Promise<ServiceEntity | null> {
    const result = await this.m(ctx)
      .createQueryBuilder()
      .update(ServiceEntity)
      .set({ ...changes, status: next, updatedAt: () => 'now()' } as never)
      .where('id = :id AND tenant_id = :tenant AND mode = :mode AND status IN (:...expected)', {
        id, tenant: ctx.tenant, mode: ctx.mode, expected: [...expected],
      })
      .execute();
    if (!result.affected) return null;
    return this.findService(ctx, id);
  }

  /** Changes fields without moving the status, only while the status is one of `expected`. */
  async update(ctx: RequestContext, id: string, expected: readonly ServiceStatus[], changes: ServiceChanges): Promise<ServiceEntity | null> {
    const result = await this.m(ctx)
      .createQueryBuilder()
      .update(ServiceEntity)
      .set({ ...changes, updatedAt: () => 'now()' } as never)
      .where('id = :id AND tenant_id = :tenant AND mode = :mode AND status IN (:...expected)', {
        id, tenant: ctx.tenant, mode: ctx.mode, expected: [...expected],
      })
      .execute();
    if (!result.affected) return null;
    return this.findService(ctx, id);
  }

  listServices(ctx: RequestContext, page: PageQuery, sort: { sort: ServiceSort; order: SortOrder }, filters: ServiceFilters) {
    const qb = this.m(ctx)
      .createQueryBuilder(ServiceEntity, 's')
      .where('s.tenant_id = :tenant AND s.mode = :mode', { tenant: ctx.tenant, mode: ctx.mode });
    if (filters.status) qb.andWhere('s.status = :status', { status: filters.status });
    if (filters.customerId !== undefined) qb.andWhere('s.customer_id = :customerId', { customerId: filters.customerId });
    if (filters.productId !== undefined) qb.andWhere('s.product_id = :productId', { productId: filters.productId });
    if (filters.tier !== undefined) qb.andWhere('s.tier = :tier', { tier: filters.tier });
    if (filters.billingCycle) qb.andWhere('s.billing_cycle = :cycle', { cycle: filters.billingCycle });
    if (filters.dateFrom) qb.andWhere('s.created_at >= :dateFrom', { dateFrom: filters.dateFrom });
    if (filters.dateTo) qb.andWhere('s.created_at <= :dateTo', { dateTo: filters.dateTo });
    const spec = SORT_COLUMNS[sort.sort];
    return paginate(qb, page, {
      name: sort.sort, column: spec.column, idColumn: 's.id', order: sort.order,
      valueOf: spec.valueOf, idOf: (s) => s.id,
    });
  }

  /** A customer's services (newest first), optionally of one product and tier. */
  servicesOfCustomer(ctx: RequestContext, customerId: string, filter: { productId?: string; tier?: string } = {}): Promise<ServiceEntity[]> {
    return this.m(ctx).find(ServiceEntity, {
      where: { customerId, ...(filter.productId ? { productId: filter.productId } : {}), ...(filter.tier ? { tier: filter.tier } : {}), ...this.scope(ctx) },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
  }

  /** The service an invoice was issued for, through the periods billed or the latest invoice. */
  /** Services of the customer not in these statuses (the customers module's deletion check). */
  countOfCustomerNotIn(ctx: RequestContext, customerId: string, statuses: readonly ServiceStatus[]): Promise<number> {
    return this.m(ctx).countBy(ServiceEntity, { ...this.scope(ctx), customerId, status: Not(In([...statuses])) });
  }

  async serviceOfInvoice(ctx: RequestContext, invoiceId: string): Promise<string | null> {
    const [row]: { service_id: string }[] = await this.m(ctx).query(
      `SELECT service_id FROM service_periods WHERE tenant_id = $1 AND mode = $2 AND invoice_id = $3
       UNION ALL
       SELECT id FROM services WHERE tenant_id = $1 AND mode = $2 AND latest_invoice_id = $3
       LIMIT 1`,
      [ctx.tenant, ctx.mode, invoiceId],
    );
    return row?.service_id ?? null;
  }

  // --- periods
  /** Claims a period of a service; false when it was already claimed (its invoice exists). */
  async claimPeriod(
    ctx: RequestContext,
    period: Pick<ServicePeriodEntity, 'serviceId' | 'periodStart' | 'periodEnd' | 'kind' | 'chargeState'>,
  ): Promise<string | null> {
    const id = randomUUID();
    const rows: { id: string }[] = await this.m(ctx).query(
      `INSERT INTO service_periods (id, tenant_id, mode, service_id, period_start, period_end, kind, charge_state)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (tenant_id, mode, service_id, period_start) DO NOTHING RETURNING id`,
      [id, ctx.tenant, ctx.mode, period.serviceId, period.periodStart, period.periodEnd, period.kind, period.chargeState],
    );
    return rows.length > 0 ? rows[0].id : null;
  }

  async setPeriodInvoice(ctx: RequestContext, periodId: string, invoiceId: string | null, chargeState?: ServicePeriodEntity['chargeState']): Promise<void> {
    await this.m(ctx).update(ServicePeriodEntity, { id: periodId, ...this.scope(ctx) }, { invoiceId, ...(chargeState ? { chargeState } : {}) });
  }

  /** Claims the first charge of a renewal invoice (pending → charging, with the claim's time); false when another worker has it. */
  async claimCharge(ctx: RequestContext, periodId: string): Promise<boolean> {
    return this.moveCharge(ctx, periodId, 'pending', 'charging');
  }

  /** charging → paid | failed; false when the claim was settled already (by its worker or the reconciliation). */
  async finishCharge(ctx: RequestContext, periodId: string, state: 'paid' | 'failed'): Promise<boolean> {
    return this.moveCharge(ctx, periodId, 'charging', state);
  }

  /** charging → pending: the claimed charge never reached payments, so it may be claimed and charged again. */
  async releaseCharge(ctx: RequestContext, periodId: string): Promise<boolean> {
    return this.moveCharge(ctx, periodId, 'charging', 'pending');
  }

  private async moveCharge(ctx: RequestContext, periodId: string, from: ServicePeriodEntity['chargeState'], to: ServicePeriodEntity['chargeState']): Promise<boolean> {
    const result = await this.m(ctx)
      .createQueryBuilder()
      .update(ServicePeriodEntity)
      .set({ chargeState: to, ...(to === 'charging' ? { chargeClaimedAt: () => 'now()' } : {}) })
      .where('id = :id AND tenant_id = :tenant AND mode = :mode AND charge_state = :from', { id: periodId, tenant: ctx.tenant, mode: ctx.mode, from })
      .execute();
    return !!result.affected;
  }

  periodsOf(ctx: RequestContext, serviceId: string): Promise<ServicePeriodEntity[]> {
    return this.m(ctx).find(ServicePeriodEntity, { where: { serviceId, ...this.scope(ctx) }, order: { periodStart: 'ASC' } });
  }

  // --- worker sweeps (cross-tenant, keys only)
  /*
   * Every sweep below shares one batch fairly between tenants: the due rows are numbered within
   * their tenant (oldest first) and the batch takes every tenant's first row, then every tenant's
   * second… so one tenant's backlog (or its failing rows) cannot fill a batch. A service whose step
   * threw is left out until its `sweep_retry_at` (exponential backoff, recordSweepFailure).
   */

  /** Active services whose period has ended. */
  dueForRenewal(ctx: RequestContext, now: Date, limit: number, tenantId: string | null = null): Promise<ServiceKey[]> {
    return this.fairSweep(ctx, `status = 'active' AND current_period_end <= $1`, 'current_period_end', now, limit, tenantId);
  }

  /** Past-due services whose next retry is due. */
  dueForRetry(ctx: RequestContext, now: Date, limit: number, tenantId: string | null = null): Promise<ServiceKey[]> {
    return this.fairSweep(ctx, `status = 'past_due' AND next_retry_at IS NOT NULL AND next_retry_at <= $1`, 'next_retry_at', now, limit, tenantId);
  }

  /** Past-due services unpaid since before `cutoff` (not backed off at `now`). */
  dueForSuspension(ctx: RequestContext, cutoff: Date, limit: number, tenantId: string | null = null, now: Date = cutoff): Promise<ServiceKey[]> {
    return this.fairSweep(ctx, `status = 'past_due' AND past_due_since <= $4`, 'past_due_since', now, limit, tenantId, [cutoff]);
  }

  private fairSweep(ctx: RequestContext, due: string, oldest: string, now: Date, limit: number, tenantId: string | null, extra: unknown[] = []): Promise<ServiceKey[]> {
    return this.tx.acrossTenants('renewal_sweep', (m) => m.query(
      `SELECT id, tenant_id, mode, sweep_failures FROM (
         SELECT id, tenant_id, mode, sweep_failures, ${oldest} AS oldest,
                row_number() OVER (PARTITION BY tenant_id ORDER BY ${oldest}, id) AS turn
           FROM services
          WHERE ${due} AND (sweep_retry_at IS NULL OR sweep_retry_at <= $1) AND ($3::text IS NULL OR tenant_id = $3)
       ) due
       ORDER BY turn, oldest, id LIMIT $2`,
      [now, limit, tenantId, ...extra],
    ), ctx);
  }

  /** Locks one due service for its renewal; null when it is not due any more or another worker holds it. */
  async lockDue(ctx: RequestContext, id: string, now: Date): Promise<ServiceEntity | null> {
    return this.m(ctx)
      .createQueryBuilder(ServiceEntity, 's')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where("s.id = :id AND s.tenant_id = :tenant AND s.mode = :mode AND s.status = 'active' AND s.current_period_end <= :now", {
        id, tenant: ctx.tenant, mode: ctx.mode, now,
      })
      .getOne();
  }

  /** Renewal invoices whose first charge has not been attempted yet (e.g. the process died in between); fair between tenants. */
  pendingCharges(ctx: RequestContext, limit: number, tenantId: string | null = null, now: Date = new Date()): Promise<(ServiceKey & { period_id: string; service_id: string; invoice_id: string })[]> {
    return this.tx.acrossTenants('renewal_sweep', (m) => m.query(
      `SELECT period_id, service_id, invoice_id, tenant_id, mode, id, sweep_failures FROM (
         SELECT p.id AS period_id, p.service_id, p.invoice_id, p.tenant_id, p.mode, p.service_id AS id, s.sweep_failures, p.created_at,
                row_number() OVER (PARTITION BY p.tenant_id ORDER BY p.created_at, p.id) AS turn
           FROM service_periods p
           JOIN services s ON s.id = p.service_id AND s.tenant_id = p.tenant_id AND s.mode = p.mode
          WHERE p.charge_state = 'pending' AND p.invoice_id IS NOT NULL AND ($2::text IS NULL OR p.tenant_id = $2)
            AND (s.sweep_retry_at IS NULL OR s.sweep_retry_at <= $3)
       ) due
       ORDER BY turn, created_at, period_id LIMIT $1`,
      [limit, tenantId, now],
    ), ctx);
  }

  /** Charge claims left `charging` for more than `olderThanSeconds` (a worker died around the charge). */
  stuckCharges(ctx: RequestContext, olderThanSeconds: number, limit: number, tenantId: string | null = null): Promise<(ServiceKey & { period_id: string; service_id: string; invoice_id: string })[]> {
    return this.tx.acrossTenants('payment_reconciliation', (m) => m.query(
      `SELECT p.id AS period_id, p.service_id, p.invoice_id, p.tenant_id, p.mode, p.service_id AS id
         FROM service_periods p
        WHERE p.charge_state = 'charging' AND p.invoice_id IS NOT NULL
          AND (p.charge_claimed_at IS NULL OR p.charge_claimed_at <= now() - make_interval(secs => $3))
          AND ($2::text IS NULL OR p.tenant_id = $2)
        ORDER BY p.created_at LIMIT $1`,
      [limit, tenantId, olderThanSeconds],
    ), ctx);
  }

  /**
   * A worker step threw for this service: count it and keep the service out of the sweeps for
   * 1, 2, 4 … minutes after `now` (at most 6 hours), so a row that fails every run cannot hold a
   * place in every batch. `now` is the run's clock, not the database's, so tests can move it.
   */
  async recordSweepFailure(ctx: RequestContext, serviceId: string, now: Date): Promise<void> {
    await this.m(ctx).query(
      `UPDATE services
          SET sweep_failures = sweep_failures + 1,
              sweep_retry_at = $4::timestamptz + least(interval '1 minute' * power(2, least(sweep_failures, 20)), interval '6 hours')
        WHERE id = $1 AND tenant_id = $2 AND mode = $3`,
      [serviceId, ctx.tenant, ctx.mode, now],
    );
  }

  /** A step worked again for a service that had failed before. */
  async clearSweepFailures(ctx: RequestContext, serviceId: string): Promise<void> {
    await this.m(ctx).query(
      `UPDATE services SET sweep_failures = 0, sweep_retry_at = NULL WHERE id = $1 AND tenant_id = $2 AND mode = $3 AND sweep_failures > 0`,
      [serviceId, ctx.tenant, ctx.mode],
    );
  }

  // --- checkout links
  async insertLink(ctx: RequestContext, link: Omit<CheckoutLinkEntity, 'id' | 'tenantId' | 'mode' | 'createdAt'>): Promise<void> {
    await this.m(ctx).insert(CheckoutLinkEntity, { ...link, id: randomUUID(), ...this.scope(ctx) });
  }

  /** By token hash, across tenants: the token is the credential of the public page. */
  findLinkByHash(ctx: RequestContext, tokenHash: string): Promise<CheckoutLinkEntity | null> {
    return this.tx.acrossTenants('checkout_link_token', (m) => m.findOneBy(CheckoutLinkEntity, { tokenHash }), ctx);
  }
}
