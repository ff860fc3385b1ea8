import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, MoneyColumn, TenantColumn } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

/** A refund of (part of) a captured payment. Never updated: refunds of an intent add up. */
@Entity('refunds')
@Index('idx_refunds_intent', ['tenantId', 'mode', 'intentId', 'createdAt'])
export class RefundEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ name: 'intent_id', type: 'text' }) intentId: string;
  @MoneyColumn() amount: number;
  @Column({ type: 'text' }) currency: string;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ type: 'text', default: 'succeeded' }) status: 'succeeded';
  @CreatedAt() createdAt: Date;
}
