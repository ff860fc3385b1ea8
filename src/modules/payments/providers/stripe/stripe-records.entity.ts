import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Mode } from '../../../../platform/context/request-context';

/**
 * Which Stripe object stands for which of ours: a customer (`cus_…` ↔ Stripe `cus_…`), a dispute
 * (`dp_…` ↔ Stripe `du_…`), a refund made in the Stripe Dashboard (`re_…` ↔ Stripe `re_…`), a Checkout
 * payment (`pi_…` ↔ Stripe `cs_…`). A
 * customer link is written right after the Stripe call that created it; dispute and refund links in
 * the transaction that records them, so a Stripe object is recorded once however often it arrives.
 */
@Entity('stripe_links')
@Index('uq_stripe_links_local', ['tenantId', 'mode', 'kind', 'localId'], { unique: true })
export class StripeLinkEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text', primaryKeyConstraintName: 'pk_stripe_links' }) tenantId: string;
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_stripe_links' }) mode: Mode;
  @PrimaryColumn({ name: 'stripe_id', type: 'text', primaryKeyConstraintName: 'pk_stripe_links' }) stripeId: string;
  /** customer | dispute | refund | checkout */
  @Column({ type: 'text' }) kind: string;
  @Column({ name: 'local_id', type: 'text' }) localId: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
}

/** Every Stripe event received, by its id: a redelivery of a processed event changes nothing. */
@Entity('stripe_webhook_events')
export class StripeWebhookEventEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text', primaryKeyConstraintName: 'pk_stripe_webhook_events' }) tenantId: string;
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_stripe_webhook_events' }) mode: Mode;
  @PrimaryColumn({ name: 'event_id', type: 'text', primaryKeyConstraintName: 'pk_stripe_webhook_events' }) eventId: string;
  @Column({ type: 'text' }) type: string;
  @CreateDateColumn({ name: 'received_at', type: 'timestamptz', precision: 3 }) receivedAt: Date;
  /** Set once the event was applied; a delivery that died before it is applied again (every step is guarded). */
  @Column({ name: 'processed_at', type: 'timestamptz', precision: 3, nullable: true }) processedAt: Date | null;
}
