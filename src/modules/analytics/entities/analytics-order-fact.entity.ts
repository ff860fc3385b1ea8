import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { MoneyColumn } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';
import type { FactLine } from '../order-facts';

/**
 * Analytics' own copy of what an order contributes to the reports, kept from the order events
 * (one row per order, never deleted). `version_at`/`version_event` are the order's `updated_at` and
 * the event id that last wrote the row: an event carrying an older or the same version changes
 * nothing, so a replayed or late event is harmless. The rollups are recomputed from these rows.
 */
@Entity('analytics_order_facts')
@Index('idx_analytics_order_facts_placed', ['tenantId', 'mode', 'placedAt'])
@Index('idx_analytics_order_facts_customer', ['tenantId', 'mode', 'customerId', 'currency', 'placedAt', 'orderId'])
@Index('idx_analytics_order_facts_prev', ['tenantId', 'mode', 'prevAt'])
export class AnalyticsOrderFactEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ type: 'text' }) mode: Mode;
  @PrimaryColumn({ name: 'order_id', type: 'text' }) orderId: string;
  @Column({ name: 'customer_id', type: 'text' }) customerId: string;
  @Column({ type: 'text' }) currency: string;
  @Column({ name: 'placed_at', type: 'timestamptz', precision: 3 }) placedAt: Date;
  /** `placed_at` truncated to the UTC hour: the rollups' time key. */
  @Column({ name: 'placed_hour', type: 'timestamptz' }) placedHour: Date;
  /** False once the order is cancelled: it then counts only in `cancelled_orders`. */
  @Column({ type: 'boolean' }) counted: boolean;
  @MoneyColumn() total: number;
  @MoneyColumn() refunded: number;
  @Column({ type: 'integer' }) units: number;
  @Column({ type: 'text', nullable: true }) country: string | null;
  @Column({ type: 'text', nullable: true }) region: string | null;
  /** Per line: product, quantity, line total and its share of the refund. */
  @Column({ type: 'jsonb' }) lines: FactLine[];
  /**
   * When counted: `placed_at` of the customer's previous counted order in the currency (by placed_at,
   * then order id), null for their first; null when not counted. Kept by the customer rollups, not
   * by the order's own events (an earlier order arriving or being cancelled changes it).
   */
  @Column({ name: 'prev_at', type: 'timestamptz', precision: 3, nullable: true }) prevAt: Date | null;
  @Column({ name: 'version_at', type: 'timestamptz', precision: 3 }) versionAt: Date;
  @Column({ name: 'version_event', type: 'text' }) versionEvent: string;
}
