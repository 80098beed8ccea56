/**
 * Visits (R33): one day's visits of the agency with a search, scheduling one (R01), rescheduling (R10),
 * reassigning, and cancelling after a question (R34). Days and times are the agency's time zone's.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Client, Employee, ServiceCode, VisitListEntry } from '../api/types';
import { addDays, isoZ, startOfDay, timeKey, zonedInstant } from '../calendar';
import { dayLabel, timeRange } from '../format';
import type { Staff } from '../staff/session';
import { staffApi } from '../staff/session';
import { t } from '../texts/staff';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { VirtualIcon } from '../ui/VirtualIcon';
import { CheckField, Notice, RecordForm, SearchBox, SelectField, TextField } from './fields';
import type { Values } from './records';
import { useRecords } from './useRecords';

export interface Lookups {
  clients: Client[];
  employees: Employee[];
  services: ServiceCode[];
}

/** The agency's clients, staff and service codes, for the forms' choices (read once a screen). */
export function useLookups(): Lookups | null {
  const [lookups, setLookups] = useState<Lookups | null>(null);
  useEffect(() => {
    void Promise.all([staffApi('get', '/api/clients'), staffApi('get', '/api/employees'), staffApi('get', '/api/service-codes')])
      .then(([clients, employees, services]) => setLookups({ clients, employees, services }))
      .catch(() => setLookups({ clients: [], employees: [], services: [] }));
  }, []);
  return lookups;
}

/** A visit's start and end from a form's day and wall-clock times in the agency's zone; an end at or before the
 * start is the next day's (a visit across midnight). Absent when the form lacks them (the API then names them). */
export function visitTimes(values: Values, zone: string): { start?: string; end?: string } {
  const day = String(values.day ?? '');
  const start = String(values.start ?? '');
  const end = String(values.end ?? '');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return {};
  const out: { start?: string; end?: string } = {};
  if (/^\d{2}:\d{2}$/.test(start)) out.start = isoZ(zonedInstant(day, start, zone));
  if (/^\d{2}:\d{2}$/.test(end)) {
    const sameDay = zonedInstant(day, end, zone);
    const next = out.start && sameDay.getTime() <= Date.parse(out.start) ? zonedInstant(addDays(day, 1), end, zone) : sameDay;
    out.end = isoZ(next);
  }
  return out;
}

export function Visits({ staff, today }: { staff: Staff; today: string }) {
  const { zone, locale } = staff;
  const read = useCallback(
    (q: string, day: string) =>
      staffApi('get', '/api/visits', {
        query: { from: isoZ(startOfDay(day, zone)), to: isoZ(startOfDay(addDays(day, 1), zone)), q },
      }),
    [zone],
  );
  const { state, dispatch, act, edit, query } = useRecords<VisitListEntry>(read, today);
  const lookups = useLookups();
  const form = state.form;
  const confirming = state.confirming;
  const day = state.scope;
  const when = (v: VisitListEntry): string => `${dayLabel(v.start, zone, locale)}, ${timeRange(v.start, v.end, zone, locale)}`;
  const visitOf = (target: string): VisitListEntry | undefined => state.items?.find((v) => v.id === target.split(':')[0]);

  const save = (): void => {
    if (!form) return;
    dispatch({ type: 'submit' });
    const values = form.values;
    const [id, action] = form.target.split(':');
    void act(async () => {
      if (form.target === 'new') {
        const body = {
          client_id: String(values.client_id),
          employee_id: String(values.employee_id),
          service_code: String(values.service_code),
          virtual: values.virtual === true,
          ...visitTimes(values, zone),
        };
        await staffApi('post', '/api/visits', { body: body as typeof body & { start: string; end: string } });
        return t.visitSaved;
      }
      const body = action === 'reassign' ? { employee_id: String(values.employee_id) } : visitTimes(values, zone);
      await staffApi('patch', '/api/visits/{visit_id}', { path: { visit_id: id }, body });
      return action === 'reassign' ? t.visitReassigned : t.visitRescheduled;
    });
  };
  const cancel = (): void => {
    if (!confirming) return;
    const id = confirming.target.split(':')[0];
    dispatch({ type: 'answer', yes: true });
    void act(async () => {
      await staffApi('post', '/api/visits/{visit_id}/cancel', { path: { visit_id: id } });
      return t.visitCancelledNotice;
    });
  };
  const activeStaff = (lookups?.employees ?? []).filter((e) => e.active);
  const options = {
    clients: (lookups?.clients ?? []).map((c) => ({ value: c.id, label: c.name })),
    employees: activeStaff.map((e) => ({ value: e.id, label: `${e.name} (${t.roles[e.role] ?? e.role})` })),
    services: (lookups?.services ?? []).map((s) => ({ value: s.code, label: `${s.name} (${s.code})` })),
  };
  const formTitle = (): string => {
    if (!form || form.target === 'new') return t.scheduleVisit;
    const visit = visitOf(form.target);
    const label = form.target.endsWith(':reassign') ? t.reassign : t.reschedule;
    return visit ? `${label}: ${visit.client.name}, ${when(visit)}` : label;
  };

  return (
    <section class="console-section" aria-labelledby="visits-title">
      <h2 id="visits-title">{t.sections.visits}</h2>
      <div class="toolbar">
        <div class="form-field">
          <label for="visits-day" class="label">
            {t.dayField}
          </label>
          <input
            id="visits-day"
            type="date"
            class="input"
            value={day}
            onChange={(event) => {
              const value = (event.currentTarget as HTMLInputElement).value;
              if (/^\d{4}-\d{2}-\d{2}$/.test(value)) dispatch({ type: 'scope', scope: value });
            }}
          />
        </div>
        <SearchBox id="visits-search" label={t.search} value={state.query} onQuery={query} />
        <button
          type="button"
          class="btn btn-primary"
          onClick={() =>
            dispatch({ type: 'open', target: 'new', values: { client_id: '', employee_id: '', service_code: '', day, start: '', end: '', virtual: true } })
          }
        >
          {t.scheduleVisit}
        </button>
      </div>
      <p class="period">{dayLabel(startOfDay(day, zone), zone, locale)}</p>
      <Notice text={state.notice} />
      {form && (
        <RecordForm form={form} title={formTitle()} onSubmit={save} onClose={() => dispatch({ type: 'close' })}>
          {form.target === 'new' && (
            <>
              <SelectField form={form} name="client_id" label={t.clientField} options={options.clients} onEdit={edit} />
              <SelectField form={form} name="service_code" label={t.serviceField} options={options.services} onEdit={edit} />
              <CheckField form={form} name="virtual" label={t.virtualField} onEdit={edit} />
            </>
          )}
          {(form.target === 'new' || form.target.endsWith(':reassign')) && (
            <SelectField form={form} name="employee_id" label={t.caregiverField} options={options.employees} onEdit={edit} />
          )}
          {!form.target.endsWith(':reassign') && (
            <div class="form-row">
              <TextField form={form} name="day" label={t.dayField} type="date" required onEdit={edit} />
              <TextField form={form} name="start" label={t.startField} type="time" required onEdit={edit} />
              <TextField form={form} name="end" label={t.endField} type="time" required onEdit={edit} />
            </div>
          )}
        </RecordForm>
      )}
      <p class="error" role="alert">
        {state.listError ?? ''}
      </p>
      <ul class="record-list" aria-busy={state.items === null} aria-label={t.sections.visits}>
        {state.items?.length === 0 && <li class="muted">{t.noneFound}</li>}
        {state.items?.map((v) => (
          <li key={v.id} class={`record-row${v.cancelled ? ' is-inactive' : ''}`} data-visit-id={v.id}>
            <span class="record-main">
              <strong class="nowrap">{timeRange(v.start, v.end, zone, locale)}</strong> {v.client.name}{' '}
              {v.virtual && <VirtualIcon label={t.virtualVisitLabel} />}
            </span>
            <span class="record-meta">
              {v.employee.active ? v.employee.name : t.caregiverInactive(v.employee.name)} · {v.service_code}
              {v.cancelled && (
                <>
                  {' · '}
                  <strong data-testid="visit-cancelled">{t.cancelledVisit}</strong>
                </>
              )}
            </span>
            {!v.cancelled && (
              <span class="btn-group">
                <button
                  type="button"
                  class="btn"
                  aria-label={`${t.reschedule}: ${v.client.name}`}
                  onClick={() =>
                    dispatch({
                      type: 'open',
                      target: `${v.id}:reschedule`,
                      values: { day, start: timeKey(new Date(v.start), zone), end: timeKey(new Date(v.end), zone) },
                    })
                  }
                >
                  {t.reschedule}
                </button>
                <button
                  type="button"
                  class="btn"
                  aria-label={`${t.reassign}: ${v.client.name}`}
                  onClick={() => dispatch({ type: 'open', target: `${v.id}:reassign`, values: { employee_id: v.employee.active ? v.employee.id : '' } })}
                >
                  {t.reassign}
                </button>
                <button
                  type="button"
                  class="btn btn-danger"
                  aria-label={`${t.cancelVisit}: ${v.client.name}`}
                  onClick={() => dispatch({ type: 'ask', target: `${v.id}:cancel`, question: t.cancelQuestion(v.client.name, when(v)) })}
                >
                  {t.cancelVisit}
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
      {confirming && (
        <ConfirmDialog
          testId="cancel-confirm"
          question={confirming.question}
          cancel={t.keepVisit}
          confirm={t.cancelVisit}
          busy={confirming.busy}
          error={confirming.error}
          onCancel={() => dispatch({ type: 'answer', yes: false })}
          onConfirm={cancel}
        />
      )}
    </section>
  );
}
