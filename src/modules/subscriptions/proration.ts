import { prorateMinor } from '../../platform/money/money';
import type { BillingCycle } from './service-status';

/**
 * Pure billing arithmetic for services: period boundaries, prices per cycle and proration, all in
 * integers (minor units, whole days).
 *
 * Proration is computed in WHOLE UTC DAYS of the current period:
 *   period_days = days from period start to period end
 *   used_days   = whole days elapsed since the period start (a started day counts as used)
 *   unused_days = period_days − used_days
 *   credit      = prorateMinor(old_price, unused_days, period_days)   (the unused part of what was paid)
 *   charge      = prorateMinor(new_price, unused_days, period_days)   (the new price for the same days)
 *   net         = charge − credit
 * prorateMinor rounds half away from zero. A billing-cycle change ends the current period now: the
 * credit is as above and the charge is the full new-cycle price for a fresh period that starts now.
 * Example: monthly 30-day period, 3000 → 6000 after 10 days: credit 2000, charge 4000, net 2000.
 */
export const DAY_MS = 86_400_000;

export const CYCLE_MONTHS: Readonly<Record<BillingCycle, number>> = { monthly: 1, quarterly: 3, yearly: 12 };

function daysInMonthUtc(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/**
 * `from` plus `months` calendar months in UTC, on `anchorDay` (the day of month the service was
 * started on) clamped to the month's length: anchored on the 31st, Jan 31 → Feb 28 → Mar 31, never drifting.
 */
export function addMonthsAnchored(from: Date, months: number, anchorDay: number): Date {
  const y = from.getUTCFullYear();
  const m = from.getUTCMonth() + months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const day = Math.min(anchorDay, daysInMonthUtc(targetYear, targetMonth));
  return new Date(Date.UTC(targetYear, targetMonth, day, from.getUTCHours(), from.getUTCMinutes(), from.getUTCSeconds(), from.getUTCMilliseconds()));
}

/** The end of the period that starts at `start`. */
export function periodEnd(start: Date, cycle: BillingCycle, anchorDay = start.getUTCDate()): Date {
  return addMonthsAnchored(start, CYCLE_MONTHS[cycle], anchorDay);
}

/**
 * A tier's price (quoted per `tierCycle`) for one `cycle`: scaled by the ratio of months, in
 * integers (e.g. a 1200/yearly tier billed monthly is 100; 999/monthly billed yearly is 11988).
 */
export function priceForCycle(tierPrice: number, tierCycle: BillingCycle, cycle: BillingCycle): number {
  if (tierCycle === cycle) return tierPrice;
  return prorateMinor(tierPrice, CYCLE_MONTHS[cycle], CYCLE_MONTHS[tierCycle]);
}

/** Whole days between two instants (rounded down). */
export function wholeDays(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

export interface ProrationInput {
  periodStart: Date;
  periodEnd: Date;
  now: Date;
  oldPrice: number;
  /** The new price per period (per the new cycle when the cycle changes). */
  newPrice: number;
  /** True when the billing cycle changes: the new period starts now and is charged in full. */
  cycleChanged: boolean;
}

export interface Proration {
  period_days: number;
  used_days: number;
  unused_days: number;
  credit: number;
  charge: number;
  /** charge − credit: > 0 is invoiced now, < 0 is kept as the service's credit balance. */
  net: number;
}

export function prorate(input: ProrationInput): Proration {
  const periodDays = Math.max(1, Math.round((input.periodEnd.getTime() - input.periodStart.getTime()) / DAY_MS));
  const elapsedMs = input.now.getTime() - input.periodStart.getTime();
  // A started day counts as used; never less than 0 or more than the period.
  const usedDays = Math.min(periodDays, Math.max(0, Math.ceil(elapsedMs / DAY_MS - 1e-9)));
  const unusedDays = periodDays - usedDays;
  const credit = prorateMinor(input.oldPrice, unusedDays, periodDays);
  const charge = input.cycleChanged ? input.newPrice : prorateMinor(input.newPrice, unusedDays, periodDays);
  return { period_days: periodDays, used_days: usedDays, unused_days: unusedDays, credit, charge, net: charge - credit };
}
