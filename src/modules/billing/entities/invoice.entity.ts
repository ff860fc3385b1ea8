import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, MoneyColumn, TenantColumn, UpdatedAt } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';
import type { InvoiceStatus } from '../invoice-status';

/**
 * An invoice of a tenant, per mode. Money columns are integer minor units in `currency`;
 * `total = subtotal` (no tax unless configured). `amount_paid` and `amount_refunded` mirror the
 * payments on the invoice (kept by the payments module's `onPaymentChanged`). `number` is unique
 * per tenant and mode and handed out gaplessly by `invoice_counters`.
 */
@Entity('invoices')
// The last line of defence against overpayment: payments lock the invoice and count what is owed first.
@Check('chk_invoices_amount_paid_within_total', '"amount_paid" <= "total"')
@Index('uq_invoices_number', ['tenantId', 'mode', 'number'], { unique: true })
@Index('idx_invoices_created', ['tenantId', 'mode', 'createdAt', 'id'])
@Index('idx_invoices_total', ['tenantId', 'mode', 'total', 'id'])
@Index('idx_invoices_customer', ['tenantId', 'mode', 'customerId', 'createdAt'])
@Index('idx_invoices_status', ['tenantId', 'mode', 'status', 'createdAt'])
@Index('idx_invoices_service', ['tenantId', 'mode', 'serviceId', 'createdAt'], { where: '"service_id" IS NOT NULL' })
export class InvoiceEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ type: 'text' }) number: string;
  @Column({ type: 'text' }) status: InvoiceStatus;
  @Column({ name: 'customer_id', type: 'text' }) customerId: string;
  /** Copied from the customer at creation, for the `email` and `account_ref_id` filters. */
  @Column({ name: 'customer_email', type: 'text', nullable: true }) customerEmail: string | null;
  @Column({ name: 'account_ref_id', type: 'text', nullable: true }) accountRefId: string | null;
  @Column({ type: 'text' }) currency: string;
  @MoneyColumn() subtotal: number;
  @MoneyColumn() total: number;
  @MoneyColumn({ name: 'amount_paid', default: 0 }) amountPaid: number;
  @MoneyColumn({ name: 'amount_refunded', default: 0 }) amountRefunded: number;
  @Column({ name: 'due_date', type: 'timestamptz', precision: 3, nullable: true }) dueDate: Date | null;
  @Column({ name: 'return_url', type: 'text', nullable: true }) returnUrl: string | null;
  @Column({ name: 'email_sent', type: 'boolean', default: false }) emailSent: boolean;
  @Column({ name: 'service_id', type: 'text', nullable: true }) serviceId: string | null;
  @Column({ name: 'product_manage_id', type: 'text', nullable: true }) productManageId: string | null;
  @Column({ name: 'last_payment_error_code', type: 'text', nullable: true }) lastPaymentErrorCode: string | null;
  @Column({ name: 'last_payment_error_message', type: 'text', nullable: true }) lastPaymentErrorMessage: string | null;
  @Column({ name: 'paid_at', type: 'timestamptz', precision: 3, nullable: true }) paidAt: Date | null;
  @Column({ name: 'voided_at', type: 'timestamptz', precision: 3, nullable: true }) voidedAt: Date | null;
  /** The billing period the invoice covers (renewals; optional on creation). */
  @Column({ name: 'period_start', type: 'timestamptz', precision: 3, nullable: true }) periodStart: Date | null;
  @Column({ name: 'period_end', type: 'timestamptz', precision: 3, nullable: true }) periodEnd: Date | null;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}

/** One line of an invoice: `amount = quantity × unit_amount`. */
@Entity('invoice_lines')
@Index('idx_invoice_lines_invoice', ['invoiceId', 'position'])
export class InvoiceLineEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ name: 'invoice_id', type: 'text' }) invoiceId: string;
  @Column({ type: 'integer' }) position: number;
  @Column({ type: 'text' }) description: string;
  @Column({ type: 'integer' }) quantity: number;
  @MoneyColumn({ name: 'unit_amount' }) unitAmount: number;
  @MoneyColumn() amount: number;
  @Column({ name: 'product_id', type: 'text', nullable: true }) productId: string | null;
}

/**
 * The last invoice number handed out per tenant and mode. Incremented by an upsert inside the
 * creating transaction: the row lock serializes concurrent creations, and a rolled-back creation
 * gives its number back, so numbers have no gaps.
 */
@Entity('invoice_counters')
export class InvoiceCounterEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ type: 'text' }) mode: Mode;
  @Column({ name: 'last_number', type: 'bigint' }) lastNumber: string;
}

/**
 * A link to an invoice's hosted payment page. The token (32 bytes, base64url) is an HMAC of
 * `nonce` under a server key, so the invoice can show its link again, while the database alone
 * (which holds only the nonce and the token's SHA-256) cannot produce or reverse a token.
 */
@Entity('invoice_page_tokens')
@Index('uq_invoice_page_tokens_hash', ['tokenHash'], { unique: true })
@Index('idx_invoice_page_tokens_invoice', ['tenantId', 'mode', 'invoiceId', 'createdAt'])
export class InvoicePageTokenEntity {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ name: 'invoice_id', type: 'text' }) invoiceId: string;
  @Column({ name: 'token_hash', type: 'text' }) tokenHash: string;
  @Column({ type: 'text' }) nonce: string;
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 }) expiresAt: Date;
  @CreatedAt() createdAt: Date;
}
