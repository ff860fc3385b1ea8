import { Injectable } from '@nestjs/common';
import { In, Not } from 'typeorm';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';
import { paginate } from '../../platform/pagination/paginate';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { CustomerAddressEntity, type AddressKind } from './entities/customer-address.entity';
import { CustomerEntity, type CustomerStatus } from './entities/customer.entity';

export const CUSTOMER_SORTS = ['created_at', 'updated_at', 'email', 'last_name'] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

export interface CustomerFilters {
  email?: string;
  name?: string;
  tags?: string[];
  accountRefId?: string;
  status?: CustomerStatus;
  createdFrom?: Date;
  createdTo?: Date;
}

/** Sort field → NOT NULL column and the entity value that goes into the cursor. */
const SORT_COLUMNS: Record<CustomerSort, { column: string; valueOf: (c: CustomerEntity) => string | Date }> = {
  created_at: { column: 'c.created_at', valueOf: (c) => c.createdAt },
  updated_at: { column: 'c.updated_at', valueOf: (c) => c.updatedAt },
  email: { column: 'c.email', valueOf: (c) => c.email },
  last_name: { column: 'c.last_name', valueOf: (c) => c.lastName },
};

function likePrefix(value: string): string {
  return `${value.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** Every query of the customers module; each is scoped by `ctx.tenant` and `ctx.mode`. */
@Injectable()
export class CustomersRepository extends TenantScopedRepository {
  // --- customers
  newCustomer(ctx: RequestContext, fields: Partial<CustomerEntity>): CustomerEntity {
    return this.m(ctx).create(CustomerEntity, { ...fields, ...this.scope(ctx) });
  }

  insertCustomer(ctx: RequestContext, customer: CustomerEntity): Promise<CustomerEntity> {
    return this.m(ctx).save(CustomerEntity, Object.assign(customer, this.scope(ctx)));
  }

  /**
   * Inserts unless a customer with the same account reference exists (ON CONFLICT DO NOTHING, so
   * a race never aborts the caller's transaction); true when this call inserted the row.
   */
  async insertCustomerIfAbsent(ctx: RequestContext, customer: CustomerEntity): Promise<boolean> {
    const result = await this.m(ctx)
      .createQueryBuilder()
      .insert()
      .into(CustomerEntity)
      .values({ ...customer, ...this.scope(ctx) })
      .orIgnore()
      .returning(['id'])
      .execute();
    return Array.isArray(result.raw) && result.raw.length > 0;
  }

  findCustomer(ctx: RequestContext, id: string): Promise<CustomerEntity | null> {
    return this.m(ctx).findOneBy(CustomerEntity, { id, ...this.scope(ctx) });
  }

  /** Inside a transaction: locks the customer so address changes of one customer run one at a time. */
  findCustomerForUpdate(ctx: RequestContext, id: string): Promise<CustomerEntity | null> {
    return this.m(ctx)
      .createQueryBuilder(CustomerEntity, 'c')
      .setLock('pessimistic_write')
      .where('c.id = :id AND c.tenant_id = :tenant AND c.mode = :mode', { id, tenant: ctx.tenant, mode: ctx.mode })
      .getOne();
  }

  /**
   * Inside a transaction: the customer locked FOR KEY SHARE (what a foreign-key check takes), so it
   * cannot be deleted until the caller commits, while ordinary updates of the row still proceed.
   */
  findCustomerForKeyShare(ctx: RequestContext, id: string): Promise<CustomerEntity | null> {
    return this.m(ctx)
      .createQueryBuilder(CustomerEntity, 'c')
      .setLock('for_key_share')
      .where('c.id = :id AND c.tenant_id = :tenant AND c.mode = :mode', { id, tenant: ctx.tenant, mode: ctx.mode })
      .getOne();
  }

  findCustomerByAccountRef(ctx: RequestContext, accountRefId: string): Promise<CustomerEntity | null> {
    return this.m(ctx).findOneBy(CustomerEntity, { accountRefId, ...this.scope(ctx) });
  }

  /** The oldest customer with this (lower-cased) e-mail; e-mails are not unique. */
  findFirstCustomerByEmail(ctx: RequestContext, email: string): Promise<CustomerEntity | null> {
    return this.m(ctx).findOne(CustomerEntity, { where: { email, ...this.scope(ctx) }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  saveCustomer(ctx: RequestContext, customer: CustomerEntity): Promise<CustomerEntity> {
    return this.m(ctx).save(CustomerEntity, customer);
  }

  /** Bumps `updated_at` when only the customer's addresses changed. */
  async touchCustomer(ctx: RequestContext, id: string): Promise<void> {
    await this.m(ctx).update(CustomerEntity, { id, ...this.scope(ctx) }, { updatedAt: () => 'now()' });
  }

  async deleteCustomer(ctx: RequestContext, id: string): Promise<void> {
    await this.m(ctx).delete(CustomerAddressEntity, { customerId: id, ...this.scope(ctx) });
    await this.m(ctx).delete(CustomerEntity, { id, ...this.scope(ctx) });
  }

  listCustomers(ctx: RequestContext, page: PageQuery, sort: { sort: CustomerSort; order: SortOrder }, filters: CustomerFilters) {
    const qb = this.m(ctx)
      .createQueryBuilder(CustomerEntity, 'c')
      .where('c.tenant_id = :tenant AND c.mode = :mode', { tenant: ctx.tenant, mode: ctx.mode });
    if (filters.email) qb.andWhere('c.email = :email', { email: filters.email.toLowerCase() });
    if (filters.accountRefId) qb.andWhere('c.account_ref_id = :ref', { ref: filters.accountRefId });
    if (filters.status) qb.andWhere('c.status = :status', { status: filters.status });
    if (filters.name) {
      qb.andWhere(
        "(lower(c.first_name) LIKE :name ESCAPE '\\' OR lower(c.last_name) LIKE :name ESCAPE '\\' OR lower(c.first_name || ' ' || c.last_name) LIKE :name ESCAPE '\\')",
        { name: likePrefix(filters.name) },
      );
    }
    if (filters.tags && filters.tags.length > 0) qb.andWhere('c.tags @> CAST(:tags AS text[])', { tags: filters.tags });
    if (filters.createdFrom) qb.andWhere('c.created_at >= :from', { from: filters.createdFrom });
    if (filters.createdTo) qb.andWhere('c.created_at <= :to', { to: filters.createdTo });
    const spec = SORT_COLUMNS[sort.sort];
    return paginate(qb, page, {
      name: sort.sort, column: spec.column, idColumn: 'c.id', order: sort.order,
      valueOf: spec.valueOf, idOf: (c) => c.id,
    });
  }

  // --- addresses
  /** Addresses of several customers, defaults first, then oldest first within each kind. */
  async addressesOf(ctx: RequestContext, customerIds: string[]): Promise<Map<string, CustomerAddressEntity[]>> {
    const byCustomer = new Map<string, CustomerAddressEntity[]>(customerIds.map((id) => [id, []]));
    if (customerIds.length === 0) return byCustomer;
    const rows = await this.m(ctx).find(CustomerAddressEntity, {
      where: { customerId: In(customerIds), ...this.scope(ctx) },
      order: { kind: 'DESC', isDefault: 'DESC', createdAt: 'ASC', id: 'ASC' },
    });
    for (const row of rows) byCustomer.get(row.customerId)?.push(row);
    return byCustomer;
  }

  findAddress(ctx: RequestContext, customerId: string, id: string): Promise<CustomerAddressEntity | null> {
    return this.m(ctx).findOneBy(CustomerAddressEntity, { id, customerId, ...this.scope(ctx) });
  }

  countAddressesOfKind(ctx: RequestContext, customerId: string, kind: AddressKind): Promise<number> {
    return this.m(ctx).countBy(CustomerAddressEntity, { customerId, kind, ...this.scope(ctx) });
  }

  insertAddress(ctx: RequestContext, address: Partial<CustomerAddressEntity>): Promise<CustomerAddressEntity> {
    return this.m(ctx).save(CustomerAddressEntity, this.m(ctx).create(CustomerAddressEntity, { ...address, ...this.scope(ctx) }));
  }

  saveAddress(ctx: RequestContext, address: CustomerAddressEntity): Promise<CustomerAddressEntity> {
    return this.m(ctx).save(CustomerAddressEntity, address);
  }

  async deleteAddress(ctx: RequestContext, customerId: string, id: string): Promise<void> {
    await this.m(ctx).delete(CustomerAddressEntity, { id, customerId, ...this.scope(ctx) });
  }

  /** Clears the default of a kind (before another address takes it: the unique index allows one). */
  async clearDefault(ctx: RequestContext, customerId: string, kind: AddressKind, exceptId?: string): Promise<void> {
    await this.m(ctx).update(
      CustomerAddressEntity,
      { customerId, kind, isDefault: true, ...this.scope(ctx), ...(exceptId ? { id: Not(exceptId) } : {}) },
      { isDefault: false },
    );
  }

  async markDefault(ctx: RequestContext, customerId: string, id: string): Promise<void> {
    await this.m(ctx).update(CustomerAddressEntity, { id, customerId, ...this.scope(ctx) }, { isDefault: true });
  }

  /** The most recently added address of a kind, to promote when the default is deleted. */
  findNewestAddressOfKind(ctx: RequestContext, customerId: string, kind: AddressKind): Promise<CustomerAddressEntity | null> {
    return this.m(ctx).findOne(CustomerAddressEntity, {
      where: { customerId, kind, ...this.scope(ctx) },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
  }
}
