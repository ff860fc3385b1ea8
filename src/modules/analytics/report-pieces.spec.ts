import { piecesOf, type Piece } from './report-pieces';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);
const span = (p: Piece) => [p.unit, p.from.toISOString(), p.to.toISOString()];

describe('report pieces', () => {
  it('cuts a range into edge hours, days and the UTC months wholly inside it', () => {
    // Berlin, 2026-01-10 to 2026-04-20 (local): 23:00 UTC to 22:00 UTC.
    expect(piecesOf(at('2026-01-09T23:00:00.000Z'), at('2026-04-20T22:00:00.000Z')).map(span)).toEqual([
      ['hour', '2026-01-09T23:00:00.000Z', '2026-01-10T00:00:00.000Z'],
      ['hour', '2026-04-20T00:00:00.000Z', '2026-04-20T22:00:00.000Z'],
      ['day', '2026-01-10T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
      ['day', '2026-04-01T00:00:00.000Z', '2026-04-20T00:00:00.000Z'],
      ['month', '2026-02-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
    ]);
    // A New York day holds no whole UTC day: all hours.
    expect(piecesOf(at('2026-03-01T05:00:00.000Z'), at('2026-03-02T05:00:00.000Z')).map(span)).toEqual([
      ['hour', '2026-03-01T05:00:00.000Z', '2026-03-02T05:00:00.000Z'],
    ]);
    expect(piecesOf(at('2026-03-01T00:00:00.000Z'), at('2026-05-01T00:00:00.000Z'), false).map(span)).toEqual([
      ['day', '2026-03-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z'],
    ]);
  });

  it('covers every hour of any range exactly once, with pieces aligned to their unit', () => {
    const origin = Date.UTC(2025, 10, 20);
    for (let i = 0; i < 400; i++) {
      const s = origin + ((i * 7919) % 3000) * HOUR;
      const e = s + (1 + ((i * 104729) % 4000)) * HOUR;
      const pieces = piecesOf(new Date(s), new Date(e), i % 2 === 0);
      let covered = 0;
      for (const p of pieces) {
        expect(p.from < p.to).toBe(true);
        if (p.unit !== 'hour') expect(p.from.getTime() % 86_400_000).toBe(0);
        if (p.unit === 'month') expect([p.from.getUTCDate(), p.to.getUTCDate()]).toEqual([1, 1]);
        covered += p.to.getTime() - p.from.getTime();
        for (const q of pieces) if (q !== p) expect(q.to <= p.from || q.from >= p.to).toBe(true);
      }
      expect(covered).toBe(e - s);
    }
  });
});
