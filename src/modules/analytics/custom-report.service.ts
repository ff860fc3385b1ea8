import { Injectable } from '@nestjs/common';
import { Clock } from '../../platform/clock/clock';
import type { RequestContext } from '../../platform/context/request-context';
import { InvalidRequestError } from '../../platform/errors/domain-errors';
import type { Schemas } from '../../platform/openapi/schemas';
import { checkNames, compileCustomReport } from './custom-report.compiler';
import { assertWholeHours, resolveRange, todayIn, checkedTimezone } from './report-range';
import { ReportsRepository } from './reports.repository';

const DATE_RANGES: Record<string, number> = { last_7_days: 7, last_30_days: 30, last_90_days: 90, last_365_days: 365 };

/** `POST /analytics/custom`: a whitelisted aggregation over the hourly rollups. */
@Injectable()
export class CustomReportService {
  constructor(
    private readonly repo: ReportsRepository,
    private readonly clock: Clock,
  ) {}

  async run(ctx: RequestContext, body: Schemas['CustomReportRequest']): Promise<Schemas['CustomReport']> {
    checkNames(body);
    const filters = body.filters ?? {};
    const range = resolveRange({ ...this.datesOf(filters), timezone: filters.timezone, period: 'day' }, this.clock.now());
    const bounds = await this.repo.bounds(ctx, range);
    assertWholeHours([bounds], range.timezone);
    const compiled = compileCustomReport(body, { tenant: ctx.tenant, mode: ctx.mode, ...bounds, timezone: range.timezone });
    const rows = await this.repo.runCompiled(ctx, compiled.sql, compiled.params);
    return {
      dimensions: compiled.dimensions,
      measures: compiled.measures,
      rows: rows.map((row) => {
        const out: Record<string, string | number | null> = {};
        for (const d of compiled.dimensions) out[d] = row[d];
        for (const m of compiled.measures) out[m] = row[m] === null ? null : Number(row[m]);
        return out;
      }),
    };
  }

  /** `date_range` (a name) or `start_date`/`end_date`; the last 30 days when none. */
  private datesOf(filters: Record<string, string>): { start_date?: string; end_date?: string } {
    const named = filters.date_range;
    if (named === undefined) {
      for (const f of ['start_date', 'end_date'] as const) {
        if (filters[f] !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(filters[f])) throw new InvalidRequestError(`filters.${f} must be a date (YYYY-MM-DD)`, `filters.${f}`);
      }
      return { start_date: filters.start_date, end_date: filters.end_date };
    }
    if (filters.start_date !== undefined || filters.end_date !== undefined) {
      throw new InvalidRequestError('Give filters.date_range or filters.start_date/end_date, not both', 'filters.date_range');
    }
    const days = DATE_RANGES[named];
    if (!days) throw new InvalidRequestError(`Unknown date_range '${named}' (known: ${Object.keys(DATE_RANGES).join(', ')})`, 'filters.date_range');
    const end = todayIn(checkedTimezone(filters.timezone), this.clock.now());
    const start = new Date(Date.parse(`${end}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    return { start_date: start, end_date: end };
  }
}
