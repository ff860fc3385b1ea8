import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, MoneyColumn, TenantColumn } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

/**
 * pending: the amount is reserved on the intent and committed before the processor is called
 * (the refund id is the processor's idempotency key); succeeded or failed once the outcome is
 * recorded, by the request or by the reconciliation job after a crash.
 */
export type RefundStatus = 'pending' | 'succeeded' | 'failed';

/** A refund of (part of) a captured payment. Refunds of an intent add up. */
@Entity('refunds')
@Index('idx_refunds_intent', ['tenantId', 'mode', 'intentId', 'createdAt'])
@Index('idx_refunds_pending', ['createdAt'], { where: "\"status\" = 'pending'" })
export class RefundEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ name: 'intent_id', type: 'text' }) intentId: string;
  @MoneyColumn() amount: number;
  @Column({ type: 'text' }) currency: string;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  /** Asked for the application fee back too; recorded only (no application fees exist yet). */
  @Column({ name: 'refund_application_fee', type: 'boolean', default: false }) refundApplicationFee: boolean;
  @Column({ type: 'text', default: 'succeeded' }) status: RefundStatus;
  @CreatedAt() createdAt: Date;
}
