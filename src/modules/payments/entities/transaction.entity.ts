import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, MoneyColumn, TenantColumn, UpdatedAt } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

export type TransactionType = 'charge' | 'refund' | 'dispute' | 'dispute_reversal';
export type TransactionStatus = 'pending' | 'completed' | 'failed' | 'cancelled';

/**
 * The money ledger: one row per charge, refund and dispute movement. `amount` is signed from the
 * merchant's point of view: a charge and a dispute reversal are positive (money in), a refund and
 * a dispute negative (money out). A charge row follows its intent (pending → completed | failed |
 * cancelled); refund and dispute rows are written completed.
 */
@Entity('transactions')
@Index('idx_transactions_tenant_created', ['tenantId', 'mode', 'createdAt', 'id'])
@Index('idx_transactions_account_ref', ['tenantId', 'mode', 'accountRefId', 'createdAt'], { where: '"account_ref_id" IS NOT NULL' })
@Index('idx_transactions_intent', ['tenantId', 'mode', 'intentId'])
export class TransactionEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ type: 'text' }) type: TransactionType;
  @Column({ type: 'text' }) status: TransactionStatus;
  @MoneyColumn() amount: number;
  @Column({ type: 'text' }) currency: string;
  @Column({ name: 'intent_id', type: 'text' }) intentId: string;
  @Column({ name: 'refund_id', type: 'text', nullable: true }) refundId: string | null;
  @Column({ name: 'dispute_id', type: 'text', nullable: true }) disputeId: string | null;
  @Column({ name: 'customer_id', type: 'text', nullable: true }) customerId: string | null;
  @Column({ name: 'customer_email', type: 'text', nullable: true }) customerEmail: string | null;
  @Column({ name: 'account_ref_id', type: 'text', nullable: true }) accountRefId: string | null;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}
