/**
 * The attendance report screen as one state (R37): a range of the agency's days, half-open [from, to), the rows
 * read for it, and the CSV download. Pure parts here; tested in report.test.ts.
 */
import type { AttendanceRow } from '../api/types';
import { addDays } from '../calendar';

export interface ReportState {
  from: string;
  to: string;
  rows: AttendanceRow[] | null;
  busy: boolean;
  error: string | null;
}

export type ReportEvent =
  | { type: 'range'; from: string; to: string }
  | { type: 'reading' }
  | { type: 'rows'; rows: AttendanceRow[] }
  | { type: 'failed'; message: string };

/** This month so far, and today: from the 1st to tomorrow (the range is half-open). */
export function initialReport(today: string): ReportState {
  return { from: `${today.slice(0, 8)}01`, to: addDays(today, 1), rows: null, busy: false, error: null };
}

export function reduceReport(state: ReportState, event: ReportEvent): ReportState {
  switch (event.type) {
    case 'range':
      return { ...state, from: event.from, to: event.to, rows: null, error: null };
    case 'reading':
      return { ...state, busy: true, error: null };
    case 'rows':
      return { ...state, busy: false, rows: event.rows };
    case 'failed':
      return { ...state, busy: false, error: event.message };
  }
}

/** The query the API takes: dates as they are (whole days of the agency's time zone, R37). */
export function reportQuery(state: Pick<ReportState, 'from' | 'to'>): { from: string; to: string } {
  return { from: state.from, to: state.to };
}

/** The file name of a download: the range it holds. */
export function csvName(state: Pick<ReportState, 'from' | 'to'>): string {
  return `virtual-visits-${state.from}-to-${state.to}.csv`;
}

