import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { MoneyColumn } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

/*
 * Rollups of analytics_customer_totals for the customers report, so the report reads rows that
 * grow with time and places, not with orders or customers. Each customer (per currency) counts in
 * exactly one row of each of the first three tables; an order event moves the customer between
 * rows (minus the old totals, plus the new), a rebuild recomputes them from the customer totals.
 * A row whose last customer moved away stays with zeros until the next rebuild; reports skip it.
 */

/**
 * Customers by the UTC hour and by the UTC day of their first counted order (each customer in one
 * row of each unit): cohorts by month in any zone read the days wholly inside one local month and
 * the hours of the others; new customers in a range read its whole days and its edge hours.
 */
@Entity('analytics_customer_cohorts')
export class AnalyticsCustomerCohortEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ type: 'text' }) mode: Mode;
  /** 'hour' or 'day'. */
  @PrimaryColumn({ type: 'text' }) unit: string;
  @PrimaryColumn({ name: 'first_start', type: 'timestamptz' }) firstStart: Date;
  @PrimaryColumn({ type: 'text' }) currency: string;
  @Column({ type: 'integer' }) customers: number;
  @Column({ type: 'integer' }) orders: number;
  /** Revenue net of refunds. */
  @MoneyColumn({ name: 'lifetime_value' }) lifetimeValue: number;
}

/** Customers by their latest order's shipping country and region ('' when the address has none). */
@Entity('analytics_customer_geography')
export class AnalyticsCustomerGeographyEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ type: 'text' }) mode: Mode;
  @PrimaryColumn({ type: 'text' }) currency: string;
  @PrimaryColumn({ type: 'text' }) country: string;
  @PrimaryColumn({ type: 'text' }) region: string;
  @Column({ type: 'integer' }) customers: number;
  @Column({ type: 'integer' }) orders: number;
  @MoneyColumn({ name: 'lifetime_value' }) lifetimeValue: number;
}

/** Customers by the UTC day of their latest counted order: who is at risk (no order since a given instant; the day holding it from the customer totals). */
@Entity('analytics_customer_recency')
export class AnalyticsCustomerRecencyEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ type: 'text' }) mode: Mode;
  @PrimaryColumn({ name: 'last_day', type: 'timestamptz' }) lastDay: Date;
  @PrimaryColumn({ type: 'text' }) currency: string;
  @Column({ type: 'integer' }) customers: number;
  @Column({ type: 'integer' }) orders: number;
  @MoneyColumn({ name: 'lifetime_value' }) lifetimeValue: number;
}

/**
 * Returns: each counted order after a customer's first (per currency) is a return from the
 * previous order (`prev_at` on the fact) to it. A return is counted in four cells — its two ends
 * each by UTC month and by UTC day — so "returned in [s, e) after an order before s" is a sum of a
 * few hundred cells whatever the number of orders (customer-returns.ts); the hours at the edges of
 * a zone's day come from the facts.
 */
@Entity('analytics_customer_returns')
@Index('idx_analytics_customer_returns_prev', ['tenantId', 'mode', 'prevUnit', 'nextUnit', 'prevStart'])
export class AnalyticsCustomerReturnsEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ type: 'text' }) mode: Mode;
  /** 'month' or 'day': the cell's resolution at the previous order's end… */
  @PrimaryColumn({ name: 'next_unit', type: 'text' }) nextUnit: string;
  @PrimaryColumn({ name: 'prev_unit', type: 'text' }) prevUnit: string;
  /** …and the start (UTC) of the month or day holding each end. */
  @PrimaryColumn({ name: 'next_start', type: 'timestamptz' }) nextStart: Date;
  @PrimaryColumn({ name: 'prev_start', type: 'timestamptz' }) prevStart: Date;
  @PrimaryColumn({ type: 'text' }) currency: string;
  @Column({ type: 'integer' }) returns: number;
}
