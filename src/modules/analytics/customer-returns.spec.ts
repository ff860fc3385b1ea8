import { mergeCells, returnCells, returningPlan, type ReturnCell, type ReturningPlan } from './customer-returns';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

/** The plan evaluated the way the report's statement does, over returns (prev → next) held in memory. */
function countByPlan(p: ReturningPlan, returns: [Date, Date][], cells = mergeCells(returns.flatMap(([prev, next]) => returnCells(prev, next, 1)))): number {
  const inSpan = (x: Date, from: Date, to: Date) => x >= from && x < to;
  const prevOk = (c: ReturnCell) => (c.prevUnit === 'month' ? c.prevStart < p.prevMonthsBefore : inSpan(c.prevStart, p.prevDays.from, p.prevDays.to));
  const nextOk = (c: ReturnCell) => (c.nextUnit === 'month'
    ? inSpan(c.nextStart, p.nextMonths.from, p.nextMonths.to)
    : inSpan(c.nextStart, p.nextDays.from, p.nextDays.to) && !inSpan(c.nextStart, p.nextMonths.from, p.nextMonths.to));
  const fromCells = cells.filter((c) => prevOk(c) && nextOk(c)).reduce((s, c) => s + c.returns, 0);
  const prevEdge = returns.filter(([prev, next]) => inSpan(prev, p.prevHours.from, p.prevHours.to) && inSpan(next, p.range.from, p.range.to)).length;
  const nextEdge = returns.filter(([prev, next]) => prev < p.prevHours.from && p.nextHours.some((h) => inSpan(next, h.from, h.to))).length;
  return fromCells + prevEdge + nextEdge;
}

/** A tiny deterministic generator (no Math.random: a failure must replay). */
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

describe('customer returns', () => {
  it('a return counts in its two ends by UTC month and by UTC day', () => {
    const cells = returnCells(at('2026-01-31T23:30:00.000Z'), at('2026-02-01T00:10:00.000Z'), 1);
    expect(cells.map((c) => [c.prevUnit, c.prevStart.toISOString().slice(0, 10), c.nextUnit, c.nextStart.toISOString().slice(0, 10)])).toEqual([
      ['month', '2026-01-01', 'month', '2026-02-01'],
      ['month', '2026-01-01', 'day', '2026-02-01'],
      ['day', '2026-01-31', 'month', '2026-02-01'],
      ['day', '2026-01-31', 'day', '2026-02-01'],
    ]);
  });

  it('changes that cancel out leave no cell', () => {
    const prev = at('2026-01-05T10:00:00.000Z');
    const next = at('2026-03-05T10:00:00.000Z');
    expect(mergeCells([...returnCells(prev, next, 1), ...returnCells(prev, next, -1)])).toEqual([]);
    expect(mergeCells([...returnCells(prev, next, 1), ...returnCells(prev, next, 1)]).map((c) => c.returns)).toEqual([2, 2, 2, 2]);
  });

  it('a UTC range needs no facts: no hour edges', () => {
    const p = returningPlan(at('2026-11-08T00:00:00.000Z'), at('2026-12-08T00:00:00.000Z'));
    expect(p.prevHours.from).toEqual(p.prevHours.to);
    expect(p.nextHours).toEqual([]);
    expect(p.nextDays).toEqual({ from: at('2026-11-08T00:00:00.000Z'), to: at('2026-12-08T00:00:00.000Z') });
    expect(p.nextMonths.from).toEqual(p.nextMonths.to);
  });

  it('counts exactly the returns with prev < start ≤ next < end, for ranges and zones of every shape', () => {
    const random = lcg(20);
    const origin = Date.UTC(2025, 0, 1);
    const span = 800 * 24 * HOUR;
    const returns: [Date, Date][] = [];
    for (let i = 0; i < 3000; i++) {
      const prev = origin + Math.floor(random() * span);
      // Short and long gaps, and some in the same millisecond.
      const gap = i % 50 === 0 ? 0 : Math.floor(random() ** 3 * 200 * 24 * HOUR);
      returns.push([new Date(prev), new Date(prev + gap)]);
    }
    const ranges: [Date, Date][] = [];
    for (let i = 0; i < 300; i++) {
      const s = origin + Math.floor(random() * (span / HOUR)) * HOUR;
      const hours = 1 + Math.floor(random() ** 2 * 500 * 24);
      ranges.push([new Date(s), new Date(s + hours * HOUR)]);
    }
    ranges.push([at('2026-03-01T00:00:00.000Z'), at('2026-03-02T00:00:00.000Z')], [at('2025-12-31T23:00:00.000Z'), at('2026-02-28T23:00:00.000Z')]);
    const cells = mergeCells(returns.flatMap(([prev, next]) => returnCells(prev, next, 1)));
    for (const [s, e] of ranges) {
      const expected = returns.filter(([prev, next]) => prev < s && next >= s && next < e).length;
      expect({ s, e, count: countByPlan(returningPlan(s, e), returns, cells) }).toEqual({ s, e, count: expected });
    }
  });
});
