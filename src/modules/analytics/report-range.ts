import { InvalidRequestError } from '../../platform/errors/domain-errors';

export const PERIODS = ['day', 'week', 'month', 'quarter', 'year', 'custom'] as const;
export type Period = (typeof PERIODS)[number];

/** A report's calendar: inclusive local dates in an IANA zone. */
export interface ReportRange {
  timezone: string;
  startDate: string;
  endDate: string;
}

const MAX_DAYS = 3700;
const DAY_MS = 86_400_000;

/** The zone, checked against the runtime's IANA database: unknown → 400 naming `timezone`. */
export function checkedTimezone(timezone: string | undefined): string {
  const zone = timezone ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new InvalidRequestError(`Unknown time zone '${zone}' (use an IANA name such as Europe/Berlin)`, 'timezone');
  }
  return zone;
}

/** Today's date (YYYY-MM-DD) in the zone. */
export function todayIn(timezone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/** Without a start date, the range spans 30 days, 12 weeks, 12 months, 8 quarters or 3 years up to the end date. */
function defaultStart(period: Period, end: string): string {
  switch (period) {
    case 'week':
      return addDays(end, -83);
    case 'month':
      return addMonths(end, -11);
    case 'quarter':
      return addMonths(end, -23);
    case 'year':
      return `${Number(end.slice(0, 4)) - 2}-01-01`;
    default:
      return addDays(end, -29);
  }
}

/**
 * The range of a report from its query: `end_date` defaults to today in the zone, `start_date` to
 * the period's default span; `custom` needs both. 400 naming the parameter for a reversed or too
 * long range.
 */
export function resolveRange(
  query: { period?: Period; start_date?: string; end_date?: string; timezone?: string },
  now: Date,
): ReportRange & { period: Period } {
  const timezone = checkedTimezone(query.timezone);
  const period = query.period ?? 'day';
  if (period === 'custom' && (!query.start_date || !query.end_date)) {
    throw new InvalidRequestError('period=custom needs both start_date and end_date', query.start_date ? 'end_date' : 'start_date');
  }
  const endDate = query.end_date ?? todayIn(timezone, now);
  const startDate = query.start_date ?? defaultStart(period, endDate);
  if (startDate > endDate) throw new InvalidRequestError('start_date is after end_date', 'start_date');
  if ((Date.parse(endDate) - Date.parse(startDate)) / DAY_MS > MAX_DAYS) {
    throw new InvalidRequestError(`The range may span at most ${MAX_DAYS} days`, 'start_date');
  }
  return { timezone, startDate, endDate, period };
}

/** Rollups are hourly: a boundary off the UTC hour (a zone such as Asia/Kolkata) cannot be summed exactly → 400 naming `timezone`. */
export function assertWholeHours(spans: readonly { start: Date; end: Date }[], timezone: string): void {
  const off = spans.find((b) => b.start.getTime() % 3_600_000 !== 0 || b.end.getTime() % 3_600_000 !== 0);
  if (off) {
    throw new InvalidRequestError(`Time zone ${timezone} is not a whole number of hours from UTC at ${off.start.toISOString()}; reports need whole-hour zones`, 'timezone');
  }
}
