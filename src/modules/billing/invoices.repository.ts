import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { In, MoreThan } from 'typeorm';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';
import { paginate } from '../../platform/pagination/paginate';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { InvoiceEntity, InvoiceLineEntity, InvoicePageTokenEntity } from './entities/invoice.entity';
import { UNPAID_STATUSES, type InvoiceStatus, type InvoiceStatusFilter } from './invoice-status';

export const INVOICE_SORTS = ['created_at', 'total'] as const;
export type InvoiceSort = (typeof INVOICE_SORTS)[number];

export interface InvoiceFilters {
  status?: InvoiceStatusFilter;
  customerId?: string;
  accountRefId?: string;
  email?: string;
  dateFrom?: Date;
  dateTo?: Date;
}

/** Fields a status change or a payment may change. */
export type InvoiceChanges = Partial<Pick<InvoiceEntity,
  'status' | 'amountPaid' | 'amountRefunded' | 'paidAt' | 'voidedAt' | 'emailSent' | 'lastPaymentErrorCode' | 'lastPaymentErrorMessage'>>;

/** Every query of the billing module; each is scoped by `ctx.tenant` and `ctx.mode` (except the token lookup, by design). */
@Injectable()
export class InvoicesRepository extends TenantScopedRepository {
  /**
   * The next invoice number of this tenant and mode. Must run inside the creating transaction: the
   * counter row stays locked until commit (concurrent creations queue), and a rollback returns the number.
   */
  async nextNumber(ctx: RequestContext): Promise<number> {
    if (!ctx.manager) throw new Error('nextNumber must run inside the invoice creation transaction');
    const rows: { last_number: string }[] = await this.m(ctx).query(
      `INSERT INTO invoice_counters (tenant_id, mode, last_number) VALUES ($1, $2, 1)
       ON CONFLICT (tenant_id, mode) DO UPDATE SET last_number = invoice_counters.last_number + 1
       RETURNING last_number`,
      [ctx.tenant, ctx.mode],
    );
    return Number(rows[0].last_number);
  }

  async insertInvoice(ctx: RequestContext, invoice: Partial<InvoiceEntity>): Promise<InvoiceEntity> {
    const m = this.m(ctx);
    const entity = m.create(InvoiceEntity, { ...invoice, ...this.scope(ctx) });
    await m.insert(InvoiceEntity, entity);
    return entity;
  }

  async insertLines(ctx: RequestContext, lines: Partial<InvoiceLineEntity>[]): Promise<InvoiceLineEntity[]> {
    const m = this.m(ctx);
    const entities = lines.map((l) => m.create(InvoiceLineEntity, { ...l, ...this.scope(ctx) }));
    await m.insert(InvoiceLineEntity, entities);
    return entities;
  }

  findInvoice(ctx: RequestContext, id: string): Promise<InvoiceEntity | null> {
    return this.m(ctx).findOneBy(InvoiceEntity, { id, ...this.scope(ctx) });
  }

  /** Inside a transaction: locks the invoice until commit (status and payment changes in turn). */
  lockInvoice(ctx: RequestContext, id: string): Promise<InvoiceEntity | null> {
    return this.m(ctx)
      .createQueryBuilder(InvoiceEntity, 'i')
      .setLock('pessimistic_write')
      .where('i.id = :id AND i.tenant_id = :tenant AND i.mode = :mode', { id, tenant: ctx.tenant, mode: ctx.mode })
      .getOne();
  }

  async updateInvoice(ctx: RequestContext, id: string, changes: InvoiceChanges): Promise<void> {
    await this.m(ctx).update(InvoiceEntity, { id, ...this.scope(ctx) }, { ...changes, updatedAt: () => 'now()' });
  }

  /** The newest open or uncollectible invoice of a service. */
  findOpenForService(ctx: RequestContext, serviceId: string): Promise<InvoiceEntity | null> {
    return this.m(ctx).findOne(InvoiceEntity, {
      where: { serviceId, status: In([...UNPAID_STATUSES]), ...this.scope(ctx) },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
  }

  /** Invoices of the customer with these statuses (the customers module's deletion check). */
  countOfCustomerInStatuses(ctx: RequestContext, customerId: string, statuses: readonly InvoiceStatus[]): Promise<number> {
    return this.m(ctx).countBy(InvoiceEntity, { ...this.scope(ctx), customerId, status: In([...statuses]) });
  }

  listInvoices(ctx: RequestContext, page: PageQuery, sort: { sort: InvoiceSort; order: SortOrder }, filters: InvoiceFilters) {
    const qb = this.m(ctx)
      .createQueryBuilder(InvoiceEntity, 'i')
      .where('i.tenant_id = :tenant AND i.mode = :mode', { tenant: ctx.tenant, mode: ctx.mode });
    if (filters.status === 'unpaid') qb.andWhere('i.status IN (:...unpaid)', { unpaid: [...UNPAID_STATUSES] });
    else if (filters.status) qb.andWhere('i.status = :status', { status: filters.status as InvoiceStatus });
    if (filters.customerId !== undefined) qb.andWhere('i.customer_id = :customerId', { customerId: filters.customerId });
    if (filters.accountRefId !== undefined) qb.andWhere('i.account_ref_id = :ref', { ref: filters.accountRefId });
    if (filters.email !== undefined) qb.andWhere('i.customer_email = :email', { email: filters.email.toLowerCase() });
    if (filters.dateFrom) qb.andWhere('i.created_at >= :dateFrom', { dateFrom: filters.dateFrom });
    if (filters.dateTo) qb.andWhere('i.created_at <= :dateTo', { dateTo: filters.dateTo });
    const spec = sort.sort === 'total'
      ? { column: 'i.total', valueOf: (i: InvoiceEntity) => i.total }
      : { column: 'i.created_at', valueOf: (i: InvoiceEntity) => i.createdAt };
    return paginate(qb, page, { name: sort.sort, column: spec.column, idColumn: 'i.id', order: sort.order, valueOf: spec.valueOf, idOf: (i) => i.id });
  }

  async linesOf(ctx: RequestContext, invoiceIds: string[]): Promise<Map<string, InvoiceLineEntity[]>> {
    const byInvoice = new Map<string, InvoiceLineEntity[]>(invoiceIds.map((id) => [id, []]));
    if (invoiceIds.length === 0) return byInvoice;
    const rows = await this.m(ctx).find(InvoiceLineEntity, {
      where: { invoiceId: In(invoiceIds), ...this.scope(ctx) },
      order: { invoiceId: 'ASC', position: 'ASC' },
    });
    for (const row of rows) byInvoice.get(row.invoiceId)?.push(row);
    return byInvoice;
  }

  // --- hosted page tokens
  async insertToken(ctx: RequestContext, fields: Pick<InvoicePageTokenEntity, 'invoiceId' | 'tokenHash' | 'nonce' | 'expiresAt'>): Promise<InvoicePageTokenEntity> {
    const m = this.m(ctx);
    const entity = m.create(InvoicePageTokenEntity, { ...fields, id: randomUUID(), ...this.scope(ctx) });
    await m.insert(InvoicePageTokenEntity, entity);
    return entity;
  }

  /** The newest token of each invoice. */
  async newestTokens(ctx: RequestContext, invoiceIds: string[]): Promise<Map<string, InvoicePageTokenEntity>> {
    const map = new Map<string, InvoicePageTokenEntity>();
    if (invoiceIds.length === 0) return map;
    const rows = await this.m(ctx)
      .createQueryBuilder(InvoicePageTokenEntity, 't')
      .distinctOn(['t.invoice_id'])
      .where('t.tenant_id = :tenant AND t.mode = :mode AND t.invoice_id IN (:...ids)', { tenant: ctx.tenant, mode: ctx.mode, ids: invoiceIds })
      .orderBy('t.invoice_id')
      .addOrderBy('t.created_at', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .getMany();
    for (const row of rows) map.set(row.invoiceId, row);
    return map;
  }

  /**
   * The only query without a tenant: the hosted page knows nothing but the token. Finds an
   * unexpired token by its hash; the tenant and mode it answers then scope everything else.
   */
  findLiveTokenByHash(anonymous: RequestContext, tokenHash: string): Promise<InvoicePageTokenEntity | null> {
    return this.tx.acrossTenants('hosted_invoice_token', (m) => m.findOneBy(InvoicePageTokenEntity, { tokenHash, expiresAt: MoreThan(new Date()) }), anonymous);
  }
}
