import { Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { ConflictError, NotFoundError } from '../../platform/errors/domain-errors';
import { newId, parseIdOr404 } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { PortBindings } from '../../platform/ports/port-bindings';
import { TenantContactsService } from '../identity/tenant-contacts.service';
import { EventsService } from '../events/events.service';
import { CUSTOMER_REFERENCES, describeBlocker, type CustomerBlocker, type CustomerReferences } from './customer-references.port';
import { CustomersRepository, type CustomerFilters, type CustomerSort } from './customers.repository';
import { toCustomer, toCustomerAddress, toCustomerDetail, toCustomerRecord } from './customers.mappers';
import type { CustomerRecord } from './customers.types';
import type { CustomerDirectory } from '../identity/customer-directory.port';
import { ORDER_SUMMARIES, type OrderSummaries } from './order-summary.port';
import type { CustomerAddressEntity } from './entities/customer-address.entity';
import type { CustomerEntity } from './entities/customer.entity';
import { isUniqueViolation } from '../../platform/errors/unique-violation';

function duplicateRef(): ConflictError {
  return new ConflictError('A customer with this account_ref_id already exists', 'account_ref_id');
}

/** The order `DELETE /customers/{id}` lists its blockers in (a field not listed here goes last). */
const BLOCKER_ORDER = ['services', 'invoices', 'orders'];

function blockerRank(field: string): number {
  const rank = BLOCKER_ORDER.indexOf(field);
  return rank === -1 ? BLOCKER_ORDER.length : rank;
}

/** Trimmed, de-duplicated tags in the order given. */
function normalizeTags(tags: string[] | undefined): string[] {
  return [...new Set((tags ?? []).map((t) => t.trim()).filter((t) => t.length > 0))];
}

/**
 * Customers and their addresses. Exported to other modules, as plain `CustomerRecord`s:
 * `getOrThrow`, `lockForNewReference` and `findOrCreateByEmailAndRef` (all join the caller's
 * transaction when given one); bound to identity's CUSTOMER_DIRECTORY port (`exists`).
 */
@Injectable()
export class CustomersService implements CustomerDirectory {
  constructor(
    private readonly repo: CustomersRepository,
    private readonly tx: TransactionService,
    private readonly events: EventsService,
    private readonly contacts: TenantContactsService,
    private readonly bindings: PortBindings,
  ) {}

  // --- reads

  async list(
    ctx: RequestContext,
    page: PageQuery,
    sort: { sort: CustomerSort; order: SortOrder },
    filters: CustomerFilters,
  ): Promise<Page<Schemas['Customer']>> {
    return this.tx.read(ctx, async (readCtx) => {
      const rows = await this.repo.listCustomers(readCtx, page, sort, filters);
      const addresses = await this.repo.addressesOf(readCtx, rows.items.map((c) => c.id));
      return new Page(rows.items.map((c) => toCustomer(c, addresses.get(c.id) ?? [])), rows.meta);
    });
  }

  /** A customer with its order summary; a `customer` user reaches only its own record (else 404). */
  async get(ctx: RequestContext, id: string): Promise<Schemas['CustomerDetail']> {
    const scope = ctx.customerScope;
    if (scope !== null && scope !== id) throw new NotFoundError('customer', id);
    return this.tx.read(ctx, async (readCtx) => {
      const customer = await this.findOrThrow(readCtx, id);
      return toCustomerDetail(customer, await this.addressesFor(readCtx, customer.id), await this.orderSummary(readCtx, customer.id));
    });
  }

  /** The customer of this tenant and mode, or 404 (malformed ids too). For other modules. */
  async getOrThrow(ctx: RequestContext, id: string): Promise<CustomerRecord> {
    return toCustomerRecord(await this.findOrThrow(ctx, id));
  }

  /** Identity's CUSTOMER_DIRECTORY: whether the customer exists in ctx's tenant and mode. */
  async exists(ctx: RequestContext, id: string): Promise<boolean> {
    return this.findOrThrow(ctx, id).then(
      () => true,
      (err) => (err instanceof NotFoundError ? false : Promise.reject(err)),
    );
  }

  /**
   * For modules that create rows referencing a customer (services, invoices, orders): the customer,
   * locked FOR KEY SHARE until the caller's transaction ends. A concurrent delete (which locks the
   * row FOR UPDATE) therefore either waits and then counts the new row (409), or ran first and the
   * creation finds no customer (404): no service, invoice or order is ever left without its customer.
   * KEY SHARE, like a foreign-key check, does not block ordinary customer updates.
   */
  async lockForNewReference(ctx: RequestContext, id: string): Promise<CustomerRecord> {
    if (!ctx.manager?.queryRunner?.isTransactionActive) throw new Error('lockForNewReference must run inside the creating transaction');
    const customer = await this.repo.findCustomerForKeyShare(ctx, parseIdOr404(id, 'cus', 'customer'));
    if (!customer) throw new NotFoundError('customer', id);
    return toCustomerRecord(customer);
  }

  /**
   * Order count, total spent and last order date, computed from orders when read (never stored
   * twice on the customer), through the ORDER_SUMMARIES port that the orders module binds; zeros
   * when no loaded module binds it.
   */
  async orderSummary(ctx: RequestContext, customerId: string): Promise<Schemas['OrderSummary']> {
    const orders = this.bindings.one<OrderSummaries>(ORDER_SUMMARIES);
    if (orders) return orders.summaryOfCustomer(ctx, customerId);
    return { order_count: 0, total_spent: 0, currency: null, last_order_at: null };
  }

  // --- writes

  async create(ctx: RequestContext, body: Schemas['CreateCustomerRequest']): Promise<Schemas['Customer']> {
    try {
      return await this.tx.run(ctx, async (txCtx) => {
        if (body.account_ref_id && (await this.repo.findCustomerByAccountRef(txCtx, body.account_ref_id))) throw duplicateRef();
        const customer = await this.repo.insertCustomer(
          txCtx,
          this.repo.newCustomer(txCtx, {
            id: newId('cus'),
            email: body.email.toLowerCase(),
            firstName: body.first_name,
            lastName: body.last_name,
            phone: body.phone ?? null,
            company: body.company ?? null,
            accountRefId: body.account_ref_id ?? null,
            status: 'active',
            tags: normalizeTags(body.tags),
            metadata: body.metadata ?? {},
          }),
        );
        for (const address of body.addresses ?? []) await this.insertAddress(txCtx, customer.id, address);
        const result = toCustomer(customer, await this.addressesFor(txCtx, customer.id));
        await this.events.record(txCtx, 'customer.created', result);
        return result;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateRef();
      throw err;
    }
  }

  /**
   * Billing's entry point: the customer with this account reference, else (no reference given:
   * the oldest with this e-mail, else) a new customer with this e-mail, emitting `customer.created`.
   * Runs inside the caller's transaction when there is one; a concurrent insert of the same
   * reference is absorbed by ON CONFLICT DO NOTHING, so it never aborts that transaction.
   */
  async findOrCreateByEmailAndRef(ctx: RequestContext, email: string, accountRefId: string | null): Promise<CustomerRecord> {
    const lower = email.toLowerCase();
    return this.tx.run(ctx, async (txCtx) => {
      const existing = accountRefId
        ? await this.repo.findCustomerByAccountRef(txCtx, accountRefId)
        : await this.repo.findFirstCustomerByEmail(txCtx, lower);
      if (existing) return toCustomerRecord(existing);
      // Names are unknown here; they stay empty until the customer or staff fill them in.
      const fresh = this.repo.newCustomer(txCtx, {
        id: newId('cus'), email: lower, firstName: '', lastName: '', phone: null, company: null,
        accountRefId, status: 'active', tags: [], metadata: {},
      });
      const inserted = await this.repo.insertCustomerIfAbsent(txCtx, fresh);
      const customer = inserted
        ? await this.repo.findCustomer(txCtx, fresh.id)
        : accountRefId ? await this.repo.findCustomerByAccountRef(txCtx, accountRefId) : null;
      if (!customer) throw new Error('findOrCreateByEmailAndRef: customer vanished after insert');
      if (inserted) await this.events.record(txCtx, 'customer.created', toCustomer(customer, []));
      return toCustomerRecord(customer);
    });
  }

  /** PATCH and PUT: only the fields sent change. Emits `customer.updated`. */
  async update(ctx: RequestContext, id: string, body: Schemas['UpdateCustomerRequest']): Promise<Schemas['Customer']> {
    try {
      return await this.tx.run(ctx, async (txCtx) => {
        const customer = await this.findOrThrow(txCtx, id);
        if (body.account_ref_id && body.account_ref_id !== customer.accountRefId) {
          const holder = await this.repo.findCustomerByAccountRef(txCtx, body.account_ref_id);
          if (holder && holder.id !== customer.id) throw duplicateRef();
        }
        if (body.email !== undefined) customer.email = body.email.toLowerCase();
        if (body.first_name !== undefined) customer.firstName = body.first_name;
        if (body.last_name !== undefined) customer.lastName = body.last_name;
        if (body.phone !== undefined) customer.phone = body.phone;
        if (body.company !== undefined) customer.company = body.company;
        if (body.account_ref_id !== undefined) customer.accountRefId = body.account_ref_id;
        if (body.tags !== undefined) customer.tags = normalizeTags(body.tags);
        if (body.metadata !== undefined) customer.metadata = body.metadata;
        if (body.status !== undefined) customer.status = body.status;
        const saved = await this.repo.saveCustomer(txCtx, customer);
        const result = toCustomer(saved, await this.addressesFor(txCtx, saved.id));
        await this.events.record(txCtx, 'customer.updated', result);
        return result;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateRef();
      throw err;
    }
  }

  /**
   * Hard delete (with its addresses): a deleted customer leaves nothing behind to leak or to
   * collide with a new account_ref_id. The row is locked FOR UPDATE first, so creations that
   * reference it (`lockForNewReference`) are serialised against the check below. The rule for
   * when a customer may not be deleted lives in `assertDeletable` alone.
   */
  async remove(ctx: RequestContext, id: string): Promise<void> {
    await this.tx.run(ctx, async (txCtx) => {
      const customer = await this.lockCustomer(txCtx, id);
      await this.assertDeletable(txCtx, customer);
      await this.repo.deleteCustomer(txCtx, customer.id);
    });
  }

  /**
   * A customer that something still depends on cannot be deleted (409 naming every blocker with
   * its count): services, unpaid invoices and orders in progress (counted by the modules that own
   * them, through CUSTOMER_REFERENCES), and customer logins confined to it, which would be left
   * pointing at nothing. Archiving is the way out for a customer that should no longer be current.
   */
  private async assertDeletable(ctx: RequestContext, customer: CustomerEntity): Promise<void> {
    const blockers: CustomerBlocker[] = [];
    for (const source of this.bindings.all<CustomerReferences>(CUSTOMER_REFERENCES)) blockers.push(...(await source.blockersOf(ctx, customer.id)));
    // The bindings come in module order; the message lists them in the API's order.
    blockers.sort((a, b) => blockerRank(a.field) - blockerRank(b.field));
    const logins = await this.contacts.customerLoginCount(ctx, customer.id);
    if (logins > 0) blockers.push({ field: 'users', count: logins, one: 'user login', many: 'user logins' });
    if (blockers.length === 0) return;
    const phrases = blockers.map(describeBlocker);
    const settle = logins > 0 ? 'settle those first (delete or relink its user logins)' : 'settle those first';
    throw new ConflictError(
      `This customer cannot be deleted while it has ${phrases.join(', ')}; ${settle}, ` +
        `or archive the customer instead (PATCH with status: archived)`,
      undefined,
      blockers.map((b, i) => ({ field: b.field, message: phrases[i] })),
    );
  }

  // --- addresses

  async addAddress(ctx: RequestContext, customerId: string, body: Schemas['CustomerAddressInput']): Promise<Schemas['CustomerAddress']> {
    return this.tx.run(ctx, async (txCtx) => {
      const customer = await this.lockCustomer(txCtx, customerId);
      const address = await this.insertAddress(txCtx, customer.id, body);
      await this.customerUpdated(txCtx, customer.id);
      return toCustomerAddress(address);
    });
  }

  async updateAddress(
    ctx: RequestContext,
    customerId: string,
    addressId: string,
    body: Schemas['UpdateCustomerAddressRequest'],
  ): Promise<Schemas['CustomerAddress']> {
    return this.tx.run(ctx, async (txCtx) => {
      const customer = await this.lockCustomer(txCtx, customerId);
      const address = await this.findAddress(txCtx, customer.id, addressId);
      if (body.first_name !== undefined) address.firstName = body.first_name;
      if (body.last_name !== undefined) address.lastName = body.last_name;
      if (body.company !== undefined) address.company = body.company;
      if (body.line1 !== undefined) address.line1 = body.line1;
      if (body.line2 !== undefined) address.line2 = body.line2;
      if (body.city !== undefined) address.city = body.city;
      if (body.region !== undefined) address.region = body.region;
      if (body.postal_code !== undefined) address.postalCode = body.postal_code;
      if (body.country !== undefined) address.country = body.country;
      if (body.phone !== undefined) address.phone = body.phone;
      const saved = await this.repo.saveAddress(txCtx, address);
      await this.customerUpdated(txCtx, customer.id);
      return toCustomerAddress(saved);
    });
  }

  /** The previous default of the kind is cleared first, then this one set, in one transaction. */
  async setDefaultAddress(ctx: RequestContext, customerId: string, addressId: string): Promise<Schemas['CustomerAddress']> {
    return this.tx.run(ctx, async (txCtx) => {
      const customer = await this.lockCustomer(txCtx, customerId);
      const address = await this.findAddress(txCtx, customer.id, addressId);
      if (!address.isDefault) {
        await this.repo.clearDefault(txCtx, customer.id, address.kind, address.id);
        await this.repo.markDefault(txCtx, customer.id, address.id);
        address.isDefault = true;
        await this.customerUpdated(txCtx, customer.id);
      }
      return toCustomerAddress((await this.repo.findAddress(txCtx, customer.id, address.id)) ?? address);
    });
  }

  /**
   * Deleting a kind's default promotes the most recently added other address of that kind, so a
   * kind that still has addresses always has exactly one default.
   */
  async removeAddress(ctx: RequestContext, customerId: string, addressId: string): Promise<void> {
    await this.tx.run(ctx, async (txCtx) => {
      const customer = await this.lockCustomer(txCtx, customerId);
      const address = await this.findAddress(txCtx, customer.id, addressId);
      await this.repo.deleteAddress(txCtx, customer.id, address.id);
      if (address.isDefault) {
        const successor = await this.repo.findNewestAddressOfKind(txCtx, customer.id, address.kind);
        if (successor) await this.repo.markDefault(txCtx, customer.id, successor.id);
      }
      await this.customerUpdated(txCtx, customer.id);
    });
  }

  // --- helpers

  /** Inside a transaction; the first address of a kind becomes its default, as does one sent with is_default. */
  private async insertAddress(ctx: RequestContext, customerId: string, body: Schemas['CustomerAddressInput']): Promise<CustomerAddressEntity> {
    const kind = body.kind ?? 'shipping';
    const first = (await this.repo.countAddressesOfKind(ctx, customerId, kind)) === 0;
    const makeDefault = first || body.is_default === true;
    if (makeDefault && !first) await this.repo.clearDefault(ctx, customerId, kind);
    return this.repo.insertAddress(ctx, {
      id: newId('addr'),
      customerId,
      kind,
      isDefault: makeDefault,
      firstName: body.first_name ?? null,
      lastName: body.last_name ?? null,
      company: body.company ?? null,
      line1: body.line1,
      line2: body.line2 ?? null,
      city: body.city,
      region: body.region ?? null,
      postalCode: body.postal_code ?? null,
      country: body.country,
      phone: body.phone ?? null,
    });
  }

  private async findOrThrow(ctx: RequestContext, id: string): Promise<CustomerEntity> {
    const customer = await this.repo.findCustomer(ctx, parseIdOr404(id, 'cus', 'customer'));
    if (!customer) throw new NotFoundError('customer', id);
    return customer;
  }

  private async lockCustomer(ctx: RequestContext, id: string): Promise<CustomerEntity> {
    const customer = await this.repo.findCustomerForUpdate(ctx, parseIdOr404(id, 'cus', 'customer'));
    if (!customer) throw new NotFoundError('customer', id);
    return customer;
  }

  /** An address of this customer; another customer's address id answers 404. */
  private async findAddress(ctx: RequestContext, customerId: string, addressId: string): Promise<CustomerAddressEntity> {
    const address = await this.repo.findAddress(ctx, customerId, parseIdOr404(addressId, 'addr', 'address'));
    if (!address) throw new NotFoundError('address', addressId);
    return address;
  }

  private async addressesFor(ctx: RequestContext, customerId: string): Promise<CustomerAddressEntity[]> {
    return (await this.repo.addressesOf(ctx, [customerId])).get(customerId) ?? [];
  }

  /** Address changes are customer changes: bump updated_at and emit `customer.updated`. */
  private async customerUpdated(ctx: RequestContext, customerId: string): Promise<void> {
    await this.repo.touchCustomer(ctx, customerId);
    const customer = await this.findOrThrow(ctx, customerId);
    await this.events.record(ctx, 'customer.updated', toCustomer(customer, await this.addressesFor(ctx, customerId)));
  }
}
