/*
 * "Returning customers" of [s, e): customers who ordered in the range and before it. Each counted
 * order after a customer's first is a return (prev → next: the previous order's and this order's
 * placed_at). A returning customer has exactly one return with prev < s ≤ next < e (their first
 * order in the range), so the count is the number of such returns: a rectangle in the
 * (prev, next) plane. Returns are rolled up in cells of UTC months and days on both axes
 * (analytics_customer_returns, four cells per return); the rectangle is cut into whole cells plus,
 * when s or e is not a UTC midnight (a zone other than UTC), strips less than a day wide read
 * from the facts (by prev_at, or by placed_at).
 */

import { ceilDay, ceilMonth, floorDay, floorMonth } from './report-pieces';

export type CellUnit = 'day' | 'month';

/** One cell's change: the returns whose ends fall in the prev and next blocks. */
export interface ReturnCell {
  prevUnit: CellUnit;
  prevStart: Date;
  nextUnit: CellUnit;
  nextStart: Date;
  returns: number;
}

const startOf = (unit: CellUnit, at: Date) => (unit === 'day' ? floorDay(at) : floorMonth(at));

/** The four cells of the return prev → next, each changed by `sign`. */
export function returnCells(prev: Date, next: Date, sign: 1 | -1): ReturnCell[] {
  const units: CellUnit[] = ['month', 'day'];
  return units.flatMap((prevUnit) =>
    units.map((nextUnit) => ({ prevUnit, prevStart: startOf(prevUnit, prev), nextUnit, nextStart: startOf(nextUnit, next), returns: sign })));
}

const cellKey = (c: ReturnCell) => `${c.nextUnit}|${c.prevUnit}|${c.nextStart.toISOString()}|${c.prevStart.toISOString()}`;

/** Cells merged per key, cancelled-out ones dropped, in primary-key order (rows are locked in one order). */
export function mergeCells(cells: readonly ReturnCell[]): ReturnCell[] {
  const merged = new Map<string, ReturnCell>();
  for (const c of cells) {
    const key = cellKey(c);
    const m = merged.get(key);
    if (m) m.returns += c.returns;
    else merged.set(key, { ...c });
  }
  return [...merged.entries()].filter(([, c]) => c.returns !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c);
}

/** A half-open span [from, to) of instants; empty when from >= to. */
export interface Span {
  from: Date;
  to: Date;
}

/**
 * The pieces of the rectangle prev < s ≤ next < e (s < e, both whole UTC hours):
 * - cells with prev in a month before `prevMonthsBefore` or a day of `prevDays`, and next in a
 *   day of `nextDays` outside `nextMonths` or a month of `nextMonths`;
 * - facts with prev_at in `prevHours` and placed_at in [s, e);
 * - facts with placed_at in one of `nextHours` and prev_at before `prevHours.from`.
 */
export interface ReturningPlan {
  prevMonthsBefore: Date;
  prevDays: Span;
  prevHours: Span;
  nextDays: Span;
  nextMonths: Span;
  nextHours: Span[];
  range: Span;
}

export function returningPlan(s: Date, e: Date): ReturningPlan {
  const sDay = floorDay(s);
  const sMonth = floorMonth(s);
  const plan: ReturningPlan = {
    prevMonthsBefore: sMonth,
    prevDays: { from: sMonth, to: sDay },
    prevHours: { from: sDay, to: s },
    nextDays: { from: s, to: s },
    nextMonths: { from: s, to: s },
    nextHours: [],
    range: { from: s, to: e },
  };
  const daysFrom = ceilDay(s);
  const daysTo = floorDay(e);
  if (daysFrom >= daysTo) {
    plan.nextHours.push({ from: s, to: e });
    return plan;
  }
  if (s < daysFrom) plan.nextHours.push({ from: s, to: daysFrom });
  if (daysTo < e) plan.nextHours.push({ from: daysTo, to: e });
  plan.nextDays = { from: daysFrom, to: daysTo };
  const monthsFrom = ceilMonth(daysFrom);
  const monthsTo = floorMonth(daysTo);
  if (monthsFrom < monthsTo) plan.nextMonths = { from: monthsFrom, to: monthsTo };
  return plan;
}
