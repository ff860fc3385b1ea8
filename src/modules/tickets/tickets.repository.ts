import { Injectable } from '@nestjs/common';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';
import { paginate } from '../../platform/pagination/paginate';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { TicketDepartmentEntity, TicketEntity, TicketMessageEntity } from './entities/ticket.entity';
import type { TicketPriority, TicketStatus } from './ticket-status';

export const TICKET_SORTS = ['created_at', 'updated_at'] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];

export interface TicketFilters {
  status?: TicketStatus;
  priority?: TicketPriority;
  customerId?: string;
  department?: string;
  dateFrom?: Date;
  dateTo?: Date;
}

export type TicketChanges = Partial<Pick<TicketEntity, 'status' | 'messageCount' | 'lastReplyAt' | 'lastReplyBy' | 'closedAt'>>;

const SORT_COLUMNS: Record<TicketSort, { column: string; valueOf: (t: TicketEntity) => Date }> = {
  created_at: { column: 't.created_at', valueOf: (t) => t.createdAt },
  updated_at: { column: 't.updated_at', valueOf: (t) => t.updatedAt },
};

/** Every query of the tickets module, each scoped by `ctx.tenant` and `ctx.mode`. */
@Injectable()
export class TicketsRepository extends TenantScopedRepository {

  // --- tickets
  async insertTicket(ctx: RequestContext, ticket: Partial<TicketEntity>): Promise<TicketEntity> {
    const m = this.m(ctx);
    const entity = m.create(TicketEntity, { ...ticket, ...this.scope(ctx) });
    await m.insert(TicketEntity, entity);
    return (await this.findTicket(ctx, entity.id))!;
  }

  findTicket(ctx: RequestContext, id: string): Promise<TicketEntity | null> {
    return this.m(ctx).findOneBy(TicketEntity, { id, ...this.scope(ctx) });
  }

  /** Inside a transaction: the row locked until commit, so two replies or a reply and a close queue up. */
  findTicketForUpdate(ctx: RequestContext, id: string): Promise<TicketEntity | null> {
    return this.m(ctx)
      .createQueryBuilder(TicketEntity, 't')
      .setLock('pessimistic_write')
      .where('t.id = :id AND t.tenant_id = :tenant AND t.mode = :mode', { id, tenant: ctx.tenant, mode: ctx.mode })
      .getOne();
  }

  /** Changes the ticket only while its status is one of `expected`; the row as updated, or null. */
  async update(ctx: RequestContext, id: string, expected: readonly TicketStatus[], changes: TicketChanges): Promise<TicketEntity | null> {
    const result = await this.m(ctx)
      .createQueryBuilder()
      .update(TicketEntity)
      .set({ ...changes, updatedAt: () => 'now()' } as never)
      .where('id = :id AND tenant_id = :tenant AND mode = :mode AND status IN (:...expected)', {
        id, tenant: ctx.tenant, mode: ctx.mode, expected: [...expected],
      })
      .execute();
    if (!result.affected) return null;
    return this.findTicket(ctx, id);
  }

  listTickets(ctx: RequestContext, page: PageQuery, sort: { sort: TicketSort; order: SortOrder }, filters: TicketFilters) {
    const qb = this.m(ctx)
      .createQueryBuilder(TicketEntity, 't')
      .where('t.tenant_id = :tenant AND t.mode = :mode', { tenant: ctx.tenant, mode: ctx.mode });
    if (filters.status) qb.andWhere('t.status = :status', { status: filters.status });
    if (filters.priority) qb.andWhere('t.priority = :priority', { priority: filters.priority });
    if (filters.customerId !== undefined) qb.andWhere('t.customer_id = :customerId', { customerId: filters.customerId });
    if (filters.department !== undefined) qb.andWhere('t.department = :department', { department: filters.department });
    if (filters.dateFrom) qb.andWhere('t.created_at >= :dateFrom', { dateFrom: filters.dateFrom });
    if (filters.dateTo) qb.andWhere('t.created_at <= :dateTo', { dateTo: filters.dateTo });
    const spec = SORT_COLUMNS[sort.sort];
    return paginate(qb, page, {
      name: sort.sort, column: spec.column, idColumn: 't.id', order: sort.order,
      valueOf: spec.valueOf, idOf: (t) => t.id,
    });
  }

  // --- messages
  async insertMessage(ctx: RequestContext, message: Partial<TicketMessageEntity>): Promise<TicketMessageEntity> {
    const m = this.m(ctx);
    const entity = m.create(TicketMessageEntity, { ...message, ...this.scope(ctx) });
    await m.insert(TicketMessageEntity, entity);
    return (await m.findOneBy(TicketMessageEntity, { id: entity.id, ...this.scope(ctx) }))!;
  }

  /** The conversation, oldest first (ids are UUIDv7: they break ties in creation order). */
  messagesOf(ctx: RequestContext, ticketId: string): Promise<TicketMessageEntity[]> {
    return this.m(ctx).find(TicketMessageEntity, { where: { ticketId, ...this.scope(ctx) }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  // --- departments
  departments(ctx: RequestContext): Promise<TicketDepartmentEntity[]> {
    return this.m(ctx).find(TicketDepartmentEntity, { where: this.scope(ctx), order: { key: 'ASC' } });
  }

  findDepartment(ctx: RequestContext, key: string): Promise<TicketDepartmentEntity | null> {
    return this.m(ctx).findOneBy(TicketDepartmentEntity, { key, ...this.scope(ctx) });
  }

  /** Inside a transaction: the tenant's departments (this mode) become exactly `departments`. */
  async replaceDepartments(ctx: RequestContext, departments: readonly Pick<TicketDepartmentEntity, 'key' | 'name' | 'email'>[]): Promise<void> {
    const m = this.m(ctx);
    // Two replacements at once would both delete and then collide inserting the same keys: one waits.
    await this.lockUntilCommit(ctx, 'ticket-departments');
    await m.delete(TicketDepartmentEntity, this.scope(ctx));
    if (departments.length > 0) await m.insert(TicketDepartmentEntity, departments.map((d) => m.create(TicketDepartmentEntity, { ...d, ...this.scope(ctx) })));
  }
}
