import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { MoneyColumn } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

/*
 * Rollups of analytics_order_facts, per tenant, mode, currency and UTC hour (hours, not days, so a
 * day in any whole-hour time zone — a daylight-saving day included — is an exact sum of rows), and
 * the same sums per UTC day and UTC month (the *_periods tables) so a long range reads its whole
 * days and months and only the hours at its edges (report-pieces.ts).
 */

/** Orders placed in the hour: the sales series and totals. */
@Entity('analytics_sales_hourly')
@Index('idx_analytics_sales_hourly_hour', ['tenantId', 'mode', 'hour'])
export class AnalyticsSalesHourlyEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ type: 'text' }) mode: Mode;
  @PrimaryColumn({ type: 'text' }) currency: string;
  @PrimaryColumn({ type: 'timestamptz' }) hour: Date;
  @Column({ type: 'integer' }) orders: number;
  @MoneyColumn() revenue: number;
  @Column({ type: 'bigint' }) units: string;
  @MoneyColumn() refunds: number;
  @Column({ name: 'cancelled_orders', type: 'integer' }) cancelledOrders: number;
}

/** Per product: line totals, units, the lines' share of refunds. */
@Entity('analytics_product_hourly')
@Index('idx_analytics_product_hourly_product', ['tenantId', 'mode', 'productId', 'hour'])
@Index('idx_analytics_product_hourly_hour', ['tenantId', 'mode', 'hour'])
export class AnalyticsProductHourlyEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ type: 'text' }) mode: Mode;
  @PrimaryColumn({ type: 'text' }) currency: string;
  @PrimaryColumn({ type: 'timestamptz' }) hour: Date;
  @PrimaryColumn({ name: 'product_id', type: 'text' }) productId: string;
  @Column({ type: 'integer' }) orders: number;
  @MoneyColumn() revenue: number;
  @Column({ type: 'bigint' }) units: string;
  @MoneyColumn() refunds: number;
  @Column({ name: 'refunded_orders', type: 'integer' }) refundedOrders: number;
}

/** Per shipping country and region ('' when the address has none). */
@Entity('analytics_region_hourly')
@Index('idx_analytics_region_hourly_hour', ['tenantId', 'mode', 'hour'])
export class AnalyticsRegionHourlyEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ type: 'text' }) mode: Mode;
  @PrimaryColumn({ type: 'text' }) currency: string;
  @PrimaryColumn({ type: 'timestamptz' }) hour: Date;
  @PrimaryColumn({ type: 'text' }) country: string;
  @PrimaryColumn({ type: 'text' }) region: string;
  @Column({ type: 'integer' }) orders: number;
  @MoneyColumn() revenue: number;
  @Column({ type: 'bigint' }) units: string;
  @MoneyColumn() refunds: number;
  @Column({ name: 'cancelled_orders', type: 'integer' }) cancelledOrders: number;
}

/** Per customer and currency, over all their counted orders: lifetime value, first and last order. */
@Entity('analytics_customer_totals')
@Index('idx_analytics_customer_totals_first', ['tenantId', 'mode', 'currency', 'firstOrderAt'])
@Index('idx_analytics_customer_totals_last', ['tenantId', 'mode', 'lastOrderAt'])
export class AnalyticsCustomerTotalsEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ type: 'text' }) mode: Mode;
  @PrimaryColumn({ type: 'text' }) currency: string;
  @PrimaryColumn({ name: 'customer_id', type: 'text' }) customerId: string;
  @Column({ type: 'integer' }) orders: number;
  @MoneyColumn() revenue: number;
  @MoneyColumn() refunds: number;
  @Column({ name: 'first_order_at', type: 'timestamptz', precision: 3 }) firstOrderAt: Date;
  @Column({ name: 'last_order_at', type: 'timestamptz', precision: 3 }) lastOrderAt: Date;
  /** The latest order's shipping address. */
  @Column({ type: 'text', nullable: true }) country: string | null;
  @Column({ type: 'text', nullable: true }) region: string | null;
}
