/** The attendance report (R37): a range of days, the rows, and the same rows as a CSV file to download. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, buildUrl, errorText } from '../api/client';
import { getToken } from '../auth';
import { createStore } from '../store';
import { dayLabel, timeOfDay } from '../format';
import type { Staff } from '../staff/session';
import { staffApi } from '../staff/session';
import { clientTexts } from '../texts/client';
import { t } from '../texts/staff';
import { useStore } from '../useStore';
import { useLookups } from './Visits';
import { csvName, initialReport, reduceReport, reportQuery } from './report';
import type { ReportEvent, ReportState } from './report';

const COLUMNS = ['scheduled_start', 'client_id', 'employee_id', 'clock_in_at', 'clock_out_at', 'invite_count', 'minutes_together', 'end_reason', 'no_show'];

/** The report as CSV, with the caller's token (a plain link cannot carry it), saved as a file. */
async function downloadCsv(state: ReportState): Promise<void> {
  const response = await fetch(buildUrl('/api/reports/virtual-visits', undefined, reportQuery(state)), {
    headers: { Accept: 'text/csv', Authorization: `Bearer ${getToken() ?? ''}` },
    cache: 'no-store',
    referrerPolicy: 'no-referrer',
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { Code?: string; Message?: string };
    throw new ApiError(response.status, body.Code ?? `HTTP_${response.status}`, body.Message ?? clientTexts.en.genericError);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = csvName(state);
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function Report({ staff, today }: { staff: Staff; today: string }) {
  const [store] = useState(() => createStore<ReportState, ReportEvent>(initialReport(today), reduceReport));
  const state = useStore(store);
  const lookups = useLookups();
  const dispatch = store.dispatch;
  const read = async (): Promise<void> => {
    dispatch({ type: 'reading' });
    try {
      dispatch({ type: 'rows', rows: await staffApi('get', '/api/reports/virtual-visits', { query: reportQuery(store.get()) }) });
    } catch (err) {
      dispatch({ type: 'failed', message: errorText(err) });
    }
  };
  useEffect(() => void read(), []); // the first range once; then on "Show report"
  const name = (kind: 'client_id' | 'employee_id', id: string): string => {
    const list = kind === 'client_id' ? lookups?.clients : lookups?.employees;
    return list?.find((p) => p.id === id)?.name ?? id;
  };
  const cell = (row: Record<string, unknown>, column: string): string => {
    const value = row[column];
    if (value === null || value === undefined) return '';
    if (column === 'client_id' || column === 'employee_id') return name(column, String(value));
    if (column === 'scheduled_start') return `${dayLabel(String(value), staff.zone, staff.locale)} ${timeOfDay(String(value), staff.zone, staff.locale)}`;
    if (column.endsWith('_at')) return timeOfDay(String(value), staff.zone, staff.locale);
    if (typeof value === 'boolean') return value ? t.yes : t.no;
    return String(value);
  };
  return (
    <section class="console-section" aria-labelledby="report-title">
      <h2 id="report-title">{t.reportTitle}</h2>
      <form
        class="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          void read();
        }}
      >
        <div class="form-field">
          <label for="report-from" class="label">
            {t.fromField}
          </label>
          <input id="report-from" type="date" class="input" value={state.from} onChange={(e) => dispatch({ type: 'range', from: (e.currentTarget as HTMLInputElement).value, to: state.to })} />
        </div>
        <div class="form-field">
          <label for="report-to" class="label">
            {t.toField}
          </label>
          <input id="report-to" type="date" class="input" value={state.to} onChange={(e) => dispatch({ type: 'range', from: state.from, to: (e.currentTarget as HTMLInputElement).value })} />
        </div>
        <button type="submit" class="btn btn-primary" disabled={state.busy}>
          {t.showReport}
        </button>
        <button
          type="button"
          class="btn"
          disabled={state.busy}
          onClick={() => void downloadCsv(store.get()).catch((err: unknown) => dispatch({ type: 'failed', message: errorText(err) }))}
        >
          {t.downloadCsv}
        </button>
      </form>
      <p class="error" role="alert" data-testid="report-error">
        {state.error ?? ''}
      </p>
      {state.rows?.length === 0 && <p class="muted">{t.reportEmpty}</p>}
      {state.rows && state.rows.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="report-title">
          <table class="report">
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th key={c} scope="col">
                    {t.reportColumns[c] ?? c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {state.rows.map((row) => (
                <tr key={String(row.visit_id)}>
                  {COLUMNS.map((c) => (
                    <td key={c}>{cell(row as Record<string, unknown>, c)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
