import type { DomainError } from '../../platform/errors/domain-errors';
import { compileCustomReport } from './custom-report.compiler';
import { toCsv } from './csv';

const scope = { tenant: 'ten_1', mode: 'test', start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-02-01T00:00:00Z'), timezone: 'Europe/Berlin' };

describe('compileCustomReport', () => {
  it('binds every value and picks the rollup table from the dimensions', () => {
    const c = compileCustomReport({ dimensions: ['month', 'country'], measures: ['revenue'], filters: { region: "x' OR 1=1 --" }, limit: 5 }, scope);
    expect(c.sql).toContain('FROM analytics_region_periods');
    expect(c.sql).toContain('JOIN analytics_region_hourly');
    expect(c.sql).not.toContain('OR 1=1');
    // January 2026 (UTC) as a month, its days (used where Berlin's month boundary cuts one), no edge hours.
    const january = Array.from({ length: 31 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)));
    expect(c.params).toEqual(['ten_1', 'test', 'Europe/Berlin', "x' OR 1=1 --", [scope.start], january, [], [], 5]);
    expect(c.dimensions).toEqual(['currency', 'month', 'country']);
  });

  it('reads per-product rows for a product dimension and the plain sales rows otherwise', () => {
    expect(compileCustomReport({ dimensions: ['product_id'], measures: ['units'] }, scope).sql).toContain('FROM analytics_product_periods');
    expect(compileCustomReport({ measures: ['orders'] }, scope).sql).toContain('FROM analytics_sales_periods');
  });

  it('refuses names outside the whitelist and measures a per-product row cannot give, naming each', () => {
    expect(() => compileCustomReport({ dimensions: ['"; DROP TABLE x; --'], measures: ['revenue'] }, scope)).toThrow(/unknown dimension/);
    try {
      compileCustomReport({ dimensions: ['product_id', 'country'], measures: ['avg_order_value'] }, scope);
      throw new Error('expected a refusal');
    } catch (err) {
      expect((err as DomainError).details?.map((d) => d.field)).toEqual(['dimensions', 'measures[0]']);
    }
  });
});

describe('toCsv', () => {
  it('quotes separators and defuses spreadsheet formulas, leaving numbers alone', () => {
    expect(toCsv(['a', 'b', 'c'], [['x,y', '=SUM(A1)', -5], ['say "hi"', null, 0]])).toBe('a,b,c\n"x,y",\'=SUM(A1),-5\n"say ""hi""",,0\n');
  });
});
