import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, MoneyColumn, TenantColumn, UpdatedAt } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';
import type { PaymentTargetKind } from '../payment-targets.port';

export type PaymentIntentStatus =
  | 'requires_payment_method' | 'requires_action' | 'processing' | 'requires_capture' | 'succeeded' | 'failed' | 'canceled';
export type CaptureMethod = 'automatic' | 'manual';

/**
 * One attempt to take money for an amount. The card number and CVC are never stored: only brand,
 * last4 and expiry. `amount_refunded` and `amount_disputed` (disputes lost) never exceed
 * `amount_captured` together: both only grow through guarded UPDATEs.
 */
@Entity('payment_intents')
@Index('idx_payment_intents_tenant_created', ['tenantId', 'mode', 'createdAt', 'id'])
@Index('idx_payment_intents_target', ['tenantId', 'mode', 'targetKind', 'targetId'], { where: '"target_id" IS NOT NULL' })
// The reconciliation job's sweep: intents left in `processing` by a crash between the processor call and its record.
@Index('idx_payment_intents_processing', ['updatedAt'], { where: "\"status\" = 'processing'" })
@Index('idx_payment_intents_customer', ['tenantId', 'mode', 'customerId'], { where: '"customer_id" IS NOT NULL' })
export class PaymentIntentEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @MoneyColumn() amount: number;
  @Column({ type: 'text' }) currency: string;
  @Column({ type: 'text' }) status: PaymentIntentStatus;
  @Column({ name: 'capture_method', type: 'text' }) captureMethod: CaptureMethod;
  @Column({ name: 'payment_method', type: 'text', default: 'card' }) paymentMethod: string;
  @MoneyColumn({ name: 'amount_captured', default: 0 }) amountCaptured: number;
  @MoneyColumn({ name: 'amount_refunded', default: 0 }) amountRefunded: number;
  @MoneyColumn({ name: 'amount_disputed', default: 0 }) amountDisputed: number;
  @Column({ name: 'target_kind', type: 'text', nullable: true }) targetKind: PaymentTargetKind | null;
  @Column({ name: 'target_id', type: 'text', nullable: true }) targetId: string | null;
  @Column({ name: 'customer_id', type: 'text', nullable: true }) customerId: string | null;
  /** Copied from the customer when the intent is created, for the ledger rows that follow. */
  @Column({ name: 'customer_email', type: 'text', nullable: true }) customerEmail: string | null;
  @Column({ name: 'account_ref_id', type: 'text', nullable: true }) accountRefId: string | null;
  @Column({ name: 'card_brand', type: 'text', nullable: true }) cardBrand: string | null;
  @Column({ name: 'card_last4', type: 'text', nullable: true }) cardLast4: string | null;
  @Column({ name: 'card_exp_month', type: 'integer', nullable: true }) cardExpMonth: number | null;
  @Column({ name: 'card_exp_year', type: 'integer', nullable: true }) cardExpYear: number | null;
  /** The processor's reference for the authorization (the sandbox provider's own for test mode). */
  @Column({ name: 'processor_ref', type: 'text', nullable: true }) processorRef: string | null;
  @Column({ name: 'failure_code', type: 'text', nullable: true }) failureCode: string | null;
  @Column({ name: 'failure_message', type: 'text', nullable: true }) failureMessage: string | null;
  @Column({ type: 'jsonb', default: () => "'{}'" }) metadata: Record<string, string>;
  /** Offline payments (`payment_method` bank_transfer|cash|cheque|other): the bank reference, cheque number, … */
  @Column({ name: 'offline_reference', type: 'text', nullable: true }) offlineReference: string | null;
  /** Offline payments: when the money was received. */
  @Column({ name: 'paid_at', type: 'timestamptz', precision: 3, nullable: true }) paidAt: Date | null;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}
