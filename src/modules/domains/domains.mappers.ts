import type { Schemas } from '../../platform/openapi/schemas';
import type { DomainEntity } from './entities/domain.entity';

export function toDomain(d: DomainEntity): Schemas['Domain'] {
  return {
    id: d.id,
    name: d.name,
    unicode_name: d.unicodeName,
    tld: d.tld,
    customer_id: d.customerId,
    status: d.status,
    registrar: d.registrar,
    years: d.years,
    registered_at: d.registeredAt.toISOString(),
    expires_at: d.expiresAt.toISOString(),
    auto_renew: d.autoRenew,
    nameservers: d.nameservers,
    latest_invoice_id: d.latestInvoiceId,
    renewal_invoice_id: d.renewalInvoiceId,
    transfer_requested_at: d.transferRequestedAt?.toISOString() ?? null,
    livemode: d.mode === 'live',
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
  };
}
