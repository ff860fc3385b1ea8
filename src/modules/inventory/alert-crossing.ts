import type { AlertState } from './entities/stock-alert.entity';

export type AlertEventType = 'inventory.low' | 'inventory.out_of_stock';

/**
 * An alert is `out` at zero available, `low` while available is strictly below its threshold
 * (Shopify's "below"), else `ok`. A threshold of 0 therefore only ever reports `out`.
 */
export function alertStateFor(available: number, threshold: number): AlertState {
  if (available <= 0) return 'out';
  if (available < threshold) return 'low';
  return 'ok';
}

/**
 * The events an alert's move from `from` to `to` records, in this order:
 * - ok → low records `inventory.low` (the line was crossed);
 * - ok → out records `inventory.low` too when there is a line above zero to cross (threshold > 0);
 * - reaching out (from ok or low) records `inventory.out_of_stock`;
 * - staying put or rising back (to low or ok) records nothing: a crossing is reported once, on the way down.
 */
export function alertCrossingEvents(from: AlertState, to: AlertState, threshold: number): AlertEventType[] {
  if (from === to) return [];
  const events: AlertEventType[] = [];
  if (from === 'ok' && (to === 'low' || (to === 'out' && threshold > 0))) events.push('inventory.low');
  if (to === 'out') events.push('inventory.out_of_stock');
  return events;
}
