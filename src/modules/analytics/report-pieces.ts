/*
 * UTC calendar blocks for the rollups. A report's range (whole hours, the local midnights of its
 * zone) is cut into UTC months and days wholly inside it and the hours left at its edges, each read
 * from the rollup rows of that unit: an exact sum that touches a few rows per month instead of one
 * per hour.
 */

export type PieceUnit = 'hour' | 'day' | 'month';

/** [from, to) in `unit` rows: the rows whose period starts in it. */
export interface Piece {
  unit: PieceUnit;
  from: Date;
  to: Date;
}

const DAY_MS = 86_400_000;

export function floorDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

export function ceilDay(at: Date): Date {
  const floor = floorDay(at);
  return floor.getTime() === at.getTime() ? floor : new Date(floor.getTime() + DAY_MS);
}

export function floorMonth(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

export function ceilMonth(at: Date): Date {
  const floor = floorMonth(at);
  return floor.getTime() === at.getTime() ? floor : new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
}

/**
 * [s, e) (whole UTC hours, s < e) as hours at the edges, then days, then (when `months`) the UTC
 * months in the middle. Pieces never overlap and cover the range exactly.
 */
export function piecesOf(s: Date, e: Date, months = true): Piece[] {
  const days = { from: ceilDay(s), to: floorDay(e) };
  if (days.from >= days.to) return [{ unit: 'hour', from: s, to: e }];
  const pieces: Piece[] = [];
  if (s < days.from) pieces.push({ unit: 'hour', from: s, to: days.from });
  if (days.to < e) pieces.push({ unit: 'hour', from: days.to, to: e });
  const whole = { from: ceilMonth(days.from), to: floorMonth(days.to) };
  if (!months || whole.from >= whole.to) {
    pieces.push({ unit: 'day', from: days.from, to: days.to });
    return pieces;
  }
  if (days.from < whole.from) pieces.push({ unit: 'day', from: days.from, to: whole.from });
  if (whole.to < days.to) pieces.push({ unit: 'day', from: whole.to, to: days.to });
  pieces.push({ unit: 'month', from: whole.from, to: whole.to });
  return pieces;
}

/** The UTC days of [from, to) (both UTC midnights). */
export function daysOf(from: Date, to: Date): Date[] {
  const days: Date[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += DAY_MS) days.push(new Date(t));
  return days;
}

/** Pieces as the four arrays a statement unnests: `unnest($labels::text[], $units::text[], $froms::timestamptz[], $tos::timestamptz[])`. */
export function pieceColumns(labelled: readonly { label: string; pieces: readonly Piece[] }[]): [string[], string[], Date[], Date[]] {
  const out: [string[], string[], Date[], Date[]] = [[], [], [], []];
  for (const { label, pieces } of labelled) {
    for (const p of pieces) {
      out[0].push(label);
      out[1].push(p.unit);
      out[2].push(p.from);
      out[3].push(p.to);
    }
  }
  return out;
}
