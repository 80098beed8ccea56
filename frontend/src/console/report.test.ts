import { describe, expect, it } from 'vitest';
import { csvName, initialReport, reduceReport, reportQuery } from './report';

describe('the report (R37)', () => {
  it('test_r37_the_report_starts_with_this_month_so_far_as_a_half_open_range_of_dates', () => {
    const report = initialReport('2026-11-25');
    expect(reportQuery(report)).toEqual({ from: '2026-11-01', to: '2026-11-26' });
    expect(csvName(report)).toBe('virtual-visits-2026-11-01-to-2026-11-26.csv');
    expect(reportQuery(initialReport('2026-12-31'))).toEqual({ from: '2026-12-01', to: '2027-01-01' });
  });

  it('a new range drops the rows read for the old one', () => {
    const read = reduceReport(reduceReport(initialReport('2026-11-25'), { type: 'reading' }), { type: 'rows', rows: [] });
    expect(read).toMatchObject({ rows: [], busy: false });
    expect(reduceReport(read, { type: 'range', from: '2026-10-01', to: '2026-11-01' }).rows).toBeNull();
    expect(reduceReport(read, { type: 'failed', message: "The field 'to' must be after 'from'." }).error).toContain("'to'");
  });
});
