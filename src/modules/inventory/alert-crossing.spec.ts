import fc from 'fast-check';
import { alertCrossingEvents, alertStateFor, type AlertEventType } from './alert-crossing';
import type { AlertState } from './entities/stock-alert.entity';

const SEVERITY: Record<AlertState, number> = { ok: 0, low: 1, out: 2 };
const states = fc.constantFrom<AlertState>('ok', 'low', 'out');
const threshold = fc.integer({ min: 0, max: 1_000 });
const available = fc.integer({ min: -1_000, max: 2_000 });

describe('alertStateFor', () => {
  it.each([
    // available, threshold, state
    [0, 5, 'out'],
    [-3, 5, 'out'], // oversold by an adjustment: still out
    [1, 5, 'low'],
    [4, 5, 'low'],
    [5, 5, 'ok'], // at the threshold is not below it
    [6, 5, 'ok'],
    [0, 0, 'out'],
    [1, 0, 'ok'], // a threshold of 0 never reports low
    [1, 1, 'ok'],
    [1, 2, 'low'],
  ] as const)('%i available against threshold %i is %s', (avail, line, state) => {
    expect(alertStateFor(avail, line)).toBe(state);
  });

  it('is out exactly at zero or less, low exactly strictly between zero and the threshold', () => {
    fc.assert(
      fc.property(available, threshold, (avail, line) => {
        const state = alertStateFor(avail, line);
        expect(state === 'out').toBe(avail <= 0);
        expect(state === 'low').toBe(avail > 0 && avail < line);
      }),
    );
  });

  it('never gets worse when more is available, nor better when the threshold rises', () => {
    fc.assert(
      fc.property(available, fc.nat(500), threshold, fc.nat(500), (avail, more, line, higher) => {
        expect(SEVERITY[alertStateFor(avail + more, line)]).toBeLessThanOrEqual(SEVERITY[alertStateFor(avail, line)]);
        expect(SEVERITY[alertStateFor(avail, line + higher)]).toBeGreaterThanOrEqual(SEVERITY[alertStateFor(avail, line)]);
      }),
    );
  });
});

describe('alertCrossingEvents', () => {
  it.each([
    // from, to, threshold, events
    ['ok', 'low', 5, ['inventory.low']],
    ['ok', 'out', 5, ['inventory.low', 'inventory.out_of_stock']], // both lines crossed at once: low first
    ['ok', 'out', 0, ['inventory.out_of_stock']], // no line above zero to cross
    ['low', 'out', 5, ['inventory.out_of_stock']],
    ['out', 'low', 5, []],
    ['out', 'ok', 5, []],
    ['low', 'ok', 5, []],
    ['ok', 'ok', 5, []],
    ['low', 'low', 5, []],
    ['out', 'out', 5, []],
  ] as const)('%s → %s (threshold %i) records %j', (from, to, line, events) => {
    expect(alertCrossingEvents(from, to, line)).toEqual(events);
  });

  it('records something only on the way down, out_of_stock exactly on reaching out, low only when leaving ok', () => {
    fc.assert(
      fc.property(states, states, threshold, (from, to, line) => {
        const events = alertCrossingEvents(from, to, line);
        if (events.length > 0) expect(SEVERITY[to]).toBeGreaterThan(SEVERITY[from]);
        expect(events.includes('inventory.out_of_stock')).toBe(to === 'out' && from !== 'out');
        expect(events.includes('inventory.low')).toBe(from === 'ok' && to !== 'ok' && (to === 'low' || line > 0));
        expect(new Set(events).size).toBe(events.length);
        expect(events).toEqual([...events].sort()); // inventory.low before inventory.out_of_stock
      }),
    );
  });

  /** The alert as the service evaluates it after each stock change: state kept, events recorded on each move. */
  function walk(line: number, start: number, levels: number[]): { events: AlertEventType[]; final: AlertState } {
    let state = alertStateFor(start, line); // a new alert starts in the current state, without an event
    const events: AlertEventType[] = [];
    for (const level of levels) {
      const next = alertStateFor(level, line);
      events.push(...alertCrossingEvents(state, next, line));
      state = next;
    }
    return { events, final: state };
  }

  it('over any run of stock changes: one out_of_stock per time stock runs out, no low twice without recovering in between', () => {
    fc.assert(
      fc.property(threshold, available, fc.array(available, { maxLength: 40 }), (line, start, levels) => {
        const { events, final } = walk(line, start, levels);
        const all = [start, ...levels];
        const runsOut = all.slice(1).filter((level, i) => level <= 0 && all[i] > 0).length;
        expect(events.filter((e) => e === 'inventory.out_of_stock')).toHaveLength(runsOut);
        const recoveries = all.slice(1).filter((level, i) => alertStateFor(level, line) === 'ok' && alertStateFor(all[i], line) !== 'ok').length;
        const lows = events.filter((e) => e === 'inventory.low').length;
        const startsOk = alertStateFor(start, line) === 'ok';
        // Each low needs an ok it left: the start (when ok) or a recovery before it.
        expect(lows).toBeLessThanOrEqual(recoveries + (startsOk ? 1 : 0));
        expect(final).toBe(alertStateFor(all[all.length - 1], line));
      }),
    );
  });

  it('a stock that only rises records nothing', () => {
    fc.assert(
      fc.property(threshold, available, fc.array(fc.nat(50), { maxLength: 30 }), (line, start, steps) => {
        const levels = steps.reduce<number[]>((acc, step) => [...acc, (acc[acc.length - 1] ?? start) + step], []);
        expect(walk(line, start, levels).events).toEqual([]);
      }),
    );
  });
});
