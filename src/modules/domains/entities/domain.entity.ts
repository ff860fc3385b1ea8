import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, ModeColumn, MoneyColumn, UpdatedAt } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

export type DomainStatus = 'active' | 'expired' | 'transfer_pending';

/**
 * A domain name registered for a customer. `name` is ASCII (punycode), unique per tenant and mode.
 * The renewal job reads `auto_renew`, `expires_at`, `renewal_invoice_id` (the open auto-renewal
 * invoice; paying it sets `renewal_paid_at`, and the job then renews) and `expiring_notice_for` (the expiry `domain.expiring` was sent for,
 * so it is sent once per term). The transfer auth code is kept only as a SHA-256 hash.
 */
@Entity('domains')
@Index('uq_domains_name', ['tenantId', 'mode', 'name'], { unique: true })
@Index('idx_domains_created', ['tenantId', 'mode', 'createdAt', 'id'])
@Index('idx_domains_customer', ['tenantId', 'mode', 'customerId', 'createdAt'])
@Index('idx_domains_renewal_invoice', ['tenantId', 'mode', 'renewalInvoiceId'])
@Index('idx_domains_expiry', ['status', 'expiresAt'])
export class DomainEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ type: 'text' }) id: string;
  @ModeColumn() mode: Mode;
  @Column({ type: 'text' }) name: string;
  @Column({ name: 'unicode_name', type: 'text' }) unicodeName: string;
  @Column({ type: 'text' }) tld: string;
  @Column({ name: 'customer_id', type: 'text' }) customerId: string;
  @Column({ type: 'text' }) status: DomainStatus;
  @Column({ type: 'text' }) registrar: string;
  @Column({ type: 'integer' }) years: number;
  @Column({ name: 'registered_at', type: 'timestamptz', precision: 3 }) registeredAt: Date;
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 }) expiresAt: Date;
  @Column({ name: 'auto_renew', type: 'boolean' }) autoRenew: boolean;
  @Column({ type: 'jsonb' }) nameservers: string[];
  @Column({ name: 'latest_invoice_id', type: 'text', nullable: true }) latestInvoiceId: string | null;
  @Column({ name: 'renewal_invoice_id', type: 'text', nullable: true }) renewalInvoiceId: string | null;
  /** When the auto-renewal invoice was paid; the renewal job then renews at the registrar and clears it. */
  @Column({ name: 'renewal_paid_at', type: 'timestamptz', precision: 3, nullable: true }) renewalPaidAt: Date | null;
  @Column({ name: 'expiring_notice_for', type: 'timestamptz', precision: 3, nullable: true }) expiringNoticeFor: Date | null;
  @Column({ name: 'transfer_auth_hash', type: 'text', nullable: true }) transferAuthHash: string | null;
  @Column({ name: 'transfer_requested_at', type: 'timestamptz', precision: 3, nullable: true }) transferRequestedAt: Date | null;
  /** Renewal-job steps that threw for this domain in a row; reset by one that works. */
  @Column({ name: 'sweep_failures', type: 'integer', default: 0 }) sweepFailures: number;
  /** A failing domain is left out of the job's sweeps until then (backoff), so it cannot hold a batch. */
  @Column({ name: 'sweep_retry_at', type: 'timestamptz', precision: 3, nullable: true }) sweepRetryAt: Date | null;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}

/** A tenant's own price for one TLD (per mode), overriding the operator's DOMAIN_TLD_PRICES. */
@Entity('tld_prices')
export class TldPriceEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ type: 'text' }) mode: Mode;
  @PrimaryColumn({ type: 'text' }) tld: string;
  @MoneyColumn({ name: 'registration_amount' }) registrationAmount: number;
  @MoneyColumn({ name: 'renewal_amount' }) renewalAmount: number;
  @Column({ type: 'text' }) currency: string;
  @UpdatedAt() updatedAt: Date;
}
