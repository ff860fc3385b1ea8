import { Injectable } from '@nestjs/common';
import { Clock } from '../../platform/clock/clock';
import type { RequestContext } from '../../platform/context/request-context';
import { InvalidRequestError } from '../../platform/errors/domain-errors';
import type { Schemas } from '../../platform/openapi/schemas';
import type { GetCustomersReportQueryDto } from '../../generated/request-dtos';
import { CustomersReportRepository, type CustomerSegmentRow } from './customers-report.repository';
import { averageOrderValue } from './metrics';
import { assertWholeHours, resolveRange } from './report-range';
import { ReportsRepository } from './reports.repository';

const AT_RISK_DAYS = 90;

/** `GET /analytics/customers`: new vs returning in the range, lifetime value, at-risk, cohorts and geography per currency. */
@Injectable()
export class CustomersReportService {
  constructor(
    private readonly repo: CustomersReportRepository,
    private readonly reports: ReportsRepository,
    private readonly clock: Clock,
  ) {}

  async report(ctx: RequestContext, query: GetCustomersReportQueryDto): Promise<Schemas['CustomersReport']> {
    const now = this.clock.now();
    const range = resolveRange({ ...query, period: 'day' }, now);
    const bounds = await this.reports.bounds(ctx, range);
    assertWholeHours([bounds], range.timezone);
    const atRiskBefore = new Date(now.getTime() - AT_RISK_DAYS * 86_400_000);
    const { summary, cohorts, geography, cohortsOffTheHour } = await this.repo.overview(ctx, bounds, atRiskBefore, range.timezone, query.currency);
    if (cohortsOffTheHour) {
      throw new InvalidRequestError(`Time zone ${range.timezone} was not a whole number of hours from UTC when some customers first ordered; cohorts need whole-hour zones`, 'timezone');
    }
    const returning = await this.repo.returning(ctx, bounds, query.currency);
    return {
      timezone: range.timezone,
      start_date: range.startDate,
      end_date: range.endDate,
      at_risk_days: AT_RISK_DAYS,
      currencies: summary.map((s) => ({
        currency: s.currency,
        customers: s.customers,
        new_customers: s.new_customers,
        returning_customers: returning.get(s.currency) ?? 0,
        lifetime_value: { total: s.lifetime_value, average: averageOrderValue(s.lifetime_value, s.customers) },
        at_risk: { customers: s.at_risk, lifetime_value: s.at_risk_value },
        cohorts: cohorts.filter((c) => c.currency === s.currency).map((c) => segment(c, { month: c.month })),
        geography: geography.filter((g) => g.currency === s.currency).map((g) => segment(g, { country: g.country ?? null, region: g.region ?? null })),
      })),
    };
  }
}

function segment(row: CustomerSegmentRow, key: Partial<Schemas['CustomerSegment']>): Schemas['CustomerSegment'] {
  return {
    ...key,
    customers: row.customers,
    orders: row.orders,
    lifetime_value: row.lifetime_value,
    average_lifetime_value: averageOrderValue(row.lifetime_value, row.customers),
  };
}
