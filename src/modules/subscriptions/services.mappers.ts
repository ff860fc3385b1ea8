import type { Schemas } from '../../platform/openapi/schemas';
import type { ServiceEntity } from './entities/service.entity';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toService(s: ServiceEntity): Schemas['Service'] {
  return {
    id: s.id,
    customer_id: s.customerId,
    product_id: s.productId,
    tier: s.tier,
    tier_id: s.tierId,
    billing_cycle: s.billingCycle,
    price: s.price,
    currency: s.currency,
    status: s.status,
    current_period_start: s.currentPeriodStart.toISOString(),
    current_period_end: s.currentPeriodEnd.toISOString(),
    credit_balance: s.creditBalance,
    latest_invoice_id: s.latestInvoiceId,
    last_proration: s.lastProration,
    past_due_since: iso(s.pastDueSince),
    next_retry_at: iso(s.nextRetryAt),
    retry_count: s.retryCount,
    activated_at: iso(s.activatedAt),
    suspended_at: iso(s.suspendedAt),
    terminated_at: iso(s.terminatedAt),
    livemode: s.mode === 'live',
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
  };
}
