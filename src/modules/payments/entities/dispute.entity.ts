import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, MoneyColumn, TenantColumn, UpdatedAt } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

export type DisputeStatus = 'needs_response' | 'under_review' | 'won' | 'lost';

/** A chargeback opened by the card holder's bank against a captured payment. */
@Entity('disputes')
@Index('idx_disputes_tenant_created', ['tenantId', 'mode', 'createdAt', 'id'])
@Index('idx_disputes_intent', ['tenantId', 'mode', 'intentId'])
export class DisputeEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ name: 'intent_id', type: 'text' }) intentId: string;
  @MoneyColumn() amount: number;
  @Column({ type: 'text' }) currency: string;
  @Column({ type: 'text' }) reason: string;
  @Column({ type: 'text' }) status: DisputeStatus;
  @Column({ type: 'jsonb', nullable: true }) evidence: Record<string, string> | null;
  @Column({ name: 'evidence_submitted_at', type: 'timestamptz', precision: 3, nullable: true }) evidenceSubmittedAt: Date | null;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}
