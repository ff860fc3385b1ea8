import { Column, Entity, PrimaryColumn } from 'typeorm';
import { MoneyColumn } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

/*
 * The hourly rollups summed per UTC day and per UTC month (`unit` 'day' or 'month', the period
 * starting at `period_start`): kept by the same order events and the same rebuild as the hourly
 * rows, so a report over a long range reads a few rows per month and day instead of one per hour.
 * Keyed by time first, so a range of periods is one index range.
 */

@Entity('analytics_sales_periods')
export class AnalyticsSalesPeriodEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ type: 'text' }) mode: Mode;
  @PrimaryColumn({ type: 'text' }) unit: string;
  @PrimaryColumn({ name: 'period_start', type: 'timestamptz' }) periodStart: Date;
  @PrimaryColumn({ type: 'text' }) currency: string;
  @Column({ type: 'integer' }) orders: number;
  @MoneyColumn() revenue: number;
  @Column({ type: 'bigint' }) units: string;
  @MoneyColumn() refunds: number;
  @Column({ name: 'cancelled_orders', type: 'integer' }) cancelledOrders: number;
}

@Entity('analytics_product_periods')
export class AnalyticsProductPeriodEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ type: 'text' }) mode: Mode;
  @PrimaryColumn({ type: 'text' }) unit: string;
  @PrimaryColumn({ name: 'period_start', type: 'timestamptz' }) periodStart: Date;
  @PrimaryColumn({ type: 'text' }) currency: string;
  @PrimaryColumn({ name: 'product_id', type: 'text' }) productId: string;
  @Column({ type: 'integer' }) orders: number;
  @MoneyColumn() revenue: number;
  @Column({ type: 'bigint' }) units: string;
  @MoneyColumn() refunds: number;
  @Column({ name: 'refunded_orders', type: 'integer' }) refundedOrders: number;
}

@Entity('analytics_region_periods')
export class AnalyticsRegionPeriodEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ type: 'text' }) mode: Mode;
  @PrimaryColumn({ type: 'text' }) unit: string;
  @PrimaryColumn({ name: 'period_start', type: 'timestamptz' }) periodStart: Date;
  @PrimaryColumn({ type: 'text' }) currency: string;
  @PrimaryColumn({ type: 'text' }) country: string;
  @PrimaryColumn({ type: 'text' }) region: string;
  @Column({ type: 'integer' }) orders: number;
  @MoneyColumn() revenue: number;
  @Column({ type: 'bigint' }) units: string;
  @MoneyColumn() refunds: number;
  @Column({ name: 'cancelled_orders', type: 'integer' }) cancelledOrders: number;
}
