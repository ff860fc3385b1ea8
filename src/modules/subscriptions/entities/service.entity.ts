import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, MoneyColumn, TenantColumn, UpdatedAt } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';
import type { Proration } from '../proration';
import type { BillingCycle, ServiceStatus } from '../service-status';

/** What the last tier/cycle change computed (shown on the service). */
export interface ProrationRecord extends Proration {
  from_tier: string;
  to_tier: string;
  from_billing_cycle: BillingCycle;
  to_billing_cycle: BillingCycle;
  invoice_id: string | null;
  credited: number;
  changed_at: string;
}

/**
 * A subscription of a customer to a tier of a subscription product (the hosting API's service).
 * `price` is minor units per `billing_cycle`; `status` moves only by guarded UPDATEs
 * (`service-status.ts`); the renewal worker reads `current_period_end`, the dunning fields
 * `past_due_since`, `next_retry_at` and `retry_count`.
 */
@Entity('services')
@Index('idx_services_created', ['tenantId', 'mode', 'createdAt', 'id'])
@Index('idx_services_customer', ['tenantId', 'mode', 'customerId', 'createdAt'])
@Index('idx_services_due', ['status', 'currentPeriodEnd'])
@Index('idx_services_retry', ['status', 'nextRetryAt'])
export class ServiceEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ name: 'customer_id', type: 'text' }) customerId: string;
  @Column({ name: 'product_id', type: 'text' }) productId: string;
  /** The tier's label_name. */
  @Column({ type: 'text' }) tier: string;
  @Column({ name: 'tier_id', type: 'text' }) tierId: string;
  @Column({ name: 'billing_cycle', type: 'text' }) billingCycle: BillingCycle;
  @MoneyColumn() price: number;
  @Column({ type: 'text' }) currency: string;
  @Column({ type: 'text' }) status: ServiceStatus;
  /** Day of month periods are anchored on (1–31). */
  @Column({ name: 'anchor_day', type: 'integer' }) anchorDay: number;
  @Column({ name: 'current_period_start', type: 'timestamptz', precision: 3 }) currentPeriodStart: Date;
  @Column({ name: 'current_period_end', type: 'timestamptz', precision: 3 }) currentPeriodEnd: Date;
  /** Credit from downgrades, deducted from the next invoices. */
  @MoneyColumn({ name: 'credit_balance', default: 0 }) creditBalance: number;
  @Column({ name: 'latest_invoice_id', type: 'text', nullable: true }) latestInvoiceId: string | null;
  @Column({ name: 'last_proration', type: 'jsonb', nullable: true }) lastProration: ProrationRecord | null;
  @Column({ name: 'past_due_since', type: 'timestamptz', precision: 3, nullable: true }) pastDueSince: Date | null;
  @Column({ name: 'next_retry_at', type: 'timestamptz', precision: 3, nullable: true }) nextRetryAt: Date | null;
  @Column({ name: 'retry_count', type: 'integer', default: 0 }) retryCount: number;
  /** Worker steps (renew, charge, retry, suspend) that threw for this service in a row; reset by one that works. */
  @Column({ name: 'sweep_failures', type: 'integer', default: 0 }) sweepFailures: number;
  /** A failing service is left out of the worker's sweeps until then (backoff), so it cannot hold a batch. */
  @Column({ name: 'sweep_retry_at', type: 'timestamptz', precision: 3, nullable: true }) sweepRetryAt: Date | null;
  @Column({ name: 'activated_at', type: 'timestamptz', precision: 3, nullable: true }) activatedAt: Date | null;
  @Column({ name: 'suspended_at', type: 'timestamptz', precision: 3, nullable: true }) suspendedAt: Date | null;
  @Column({ name: 'terminated_at', type: 'timestamptz', precision: 3, nullable: true }) terminatedAt: Date | null;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}

/**
 * One billed period of a service: claimed (unique service + period start) before its invoice is
 * created, so a renewal run twice issues one invoice per period. `charge_state` keeps the first
 * charge attempt of a renewal invoice exactly-once across workers.
 */
@Entity('service_periods')
@Index('uq_service_periods_service_start', ['tenantId', 'mode', 'serviceId', 'periodStart'], { unique: true })
@Index('idx_service_periods_charge', ['chargeState', 'createdAt'])
@Index('idx_service_periods_invoice', ['invoiceId'])
export class ServicePeriodEntity {
  /** Internal: a UUID. */
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ name: 'service_id', type: 'text' }) serviceId: string;
  @Column({ name: 'period_start', type: 'timestamptz', precision: 3 }) periodStart: Date;
  @Column({ name: 'period_end', type: 'timestamptz', precision: 3 }) periodEnd: Date;
  @Column({ name: 'invoice_id', type: 'text', nullable: true }) invoiceId: string | null;
  /** first | renewal */
  @Column({ type: 'text' }) kind: 'first' | 'renewal';
  /** none (first invoice, paid by the customer) | pending → charging → paid | failed */
  @Column({ name: 'charge_state', type: 'text' }) chargeState: 'none' | 'pending' | 'charging' | 'paid' | 'failed';
  /** When the charge was claimed (pending → charging): a claim older than PAYMENT_RECONCILE_AFTER_SECONDS is reconciled. */
  @Column({ name: 'charge_claimed_at', type: 'timestamptz', precision: 3, nullable: true }) chargeClaimedAt: Date | null;
  @CreatedAt() createdAt: Date;
}

/**
 * A hosted checkout link (`GET /r/{token}`): only the SHA-256 of the token is stored, the token
 * itself is shown once in the resolver's answer. Expires after CHECKOUT_LINK_TTL_HOURS.
 */
@Entity('checkout_links')
@Index('uq_checkout_links_token_hash', ['tokenHash'], { unique: true })
export class CheckoutLinkEntity {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ name: 'token_hash', type: 'text' }) tokenHash: string;
  /** product | subscription */
  @Column({ type: 'text' }) kind: 'product' | 'subscription';
  @Column({ name: 'product_id', type: 'text' }) productId: string;
  @Column({ name: 'tier_id', type: 'text', nullable: true }) tierId: string | null;
  @Column({ name: 'account_ref_id', type: 'text' }) accountRefId: string;
  @Column({ type: 'text', nullable: true }) email: string | null;
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 }) expiresAt: Date;
  @CreatedAt() createdAt: Date;
}
