import type { Schemas } from '../../platform/openapi/schemas';
import type { CustomerAddressEntity } from './entities/customer-address.entity';
import type { CustomerEntity } from './entities/customer.entity';
import type { CustomerRecord } from './customers.types';

export function toCustomerAddress(a: CustomerAddressEntity): Schemas['CustomerAddress'] {
  return {
    id: a.id,
    kind: a.kind,
    is_default: a.isDefault,
    first_name: a.firstName,
    last_name: a.lastName,
    company: a.company,
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    region: a.region,
    postal_code: a.postalCode,
    country: a.country,
    phone: a.phone,
    created_at: a.createdAt.toISOString(),
    updated_at: a.updatedAt.toISOString(),
  };
}

/** The customer with its addresses (defaults first, then oldest first within a kind). */
export function toCustomer(c: CustomerEntity, addresses: CustomerAddressEntity[]): Schemas['Customer'] {
  return {
    id: c.id,
    email: c.email,
    first_name: c.firstName,
    last_name: c.lastName,
    phone: c.phone,
    company: c.company,
    account_ref_id: c.accountRefId,
    status: c.status,
    tags: c.tags,
    metadata: c.metadata,
    addresses: addresses.map(toCustomerAddress),
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}

export function toCustomerDetail(
  c: CustomerEntity,
  addresses: CustomerAddressEntity[],
  orderSummary: Schemas['OrderSummary'],
): Schemas['CustomerDetail'] {
  return { ...toCustomer(c, addresses), order_summary: orderSummary };
}

/** What other modules get (customers.types.ts): a copy of the fields they read, never the entity. */
export function toCustomerRecord(c: CustomerEntity): CustomerRecord {
  return { id: c.id, email: c.email, firstName: c.firstName, lastName: c.lastName, accountRefId: c.accountRefId, status: c.status };
}
