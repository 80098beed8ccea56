/**
 * The schedule: day or week, the caregiver's own or (for a coordinator) any employee's or client's.
 * Virtual visits carry the virtual-care icon labelled "Virtual visit" (R02); cards name the service as
 * the dialog does.
 */
import type { ScheduleEntry } from '../api/types';
import { dateKey, startOfDay } from '../calendar';
import { dayLabel, timeRange } from '../format';
import { t } from '../texts/staff';
import { VirtualIcon } from '../ui/VirtualIcon';
import type { Staff } from './session';
import { daysShown } from './state';
import type { ScheduleState, Subject, View } from './state';

export interface ScheduleActions {
  view(view: View): void;
  move(step: -1 | 1): void;
  today(): void;
  subject(subject: Subject): void;
  open(visit: ScheduleEntry): void;
}

function Card({ visit, schedule, staff, onOpen }: { visit: ScheduleEntry; schedule: ScheduleState; staff: Staff; onOpen(): void }) {
  const employee = schedule.people?.employees.find((e) => e.id === visit.employee_id);
  const who = schedule.subject.kind === 'client' ? employee?.name ?? visit.employee_id : visit.client.name || visit.client_id;
  const waiting = visit.client_waiting === true && !visit.cancelled;
  const classes = ['visit-card', visit.virtual && 'is-virtual', waiting && 'is-waiting', visit.cancelled && 'is-cancelled'].filter(Boolean);
  return (
    <button type="button" class={classes.join(' ')} data-visit-id={visit.id} onClick={onOpen}>
      <span class="visit-time">{timeRange(visit.start, visit.end, staff.zone, staff.locale)}</span>
      <span class="visit-who">{who}</span>
      <span class="visit-service" data-code={visit.service_code}>
        {schedule.services[visit.service_code] ?? visit.service_code}
      </span>
      {visit.virtual && <VirtualIcon label={t.virtualVisitLabel} />}
      {waiting && (
        <span class="visit-note" data-testid="client-waiting">
          {t.clientWaiting}
        </span>
      )}
      {visit.cancelled && (
        <span class="visit-note" data-testid="visit-cancelled">
          {t.cancelledVisit}
        </span>
      )}
    </button>
  );
}

function Picker({ schedule, onSubject }: { schedule: ScheduleState; onSubject(subject: Subject): void }) {
  const { subject, people } = schedule;
  return (
    <div class="field">
      <label for="subject-picker" class="label">
        {t.scheduleFor}
      </label>
      <select
        id="subject-picker"
        class="select"
        value={subject.kind === 'me' ? 'me:' : `${subject.kind}:${subject.id}`}
        onChange={(event) => {
          const [kind, id] = (event.currentTarget as HTMLSelectElement).value.split(':');
          onSubject({ kind: kind as Subject['kind'], id });
        }}
      >
        <option value="me:">{t.mySchedule}</option>
        <optgroup label={t.employeesGroup}>
          {people?.employees.map((e) => (
            <option key={e.id} value={`employee:${e.id}`}>
              {e.name}
            </option>
          ))}
        </optgroup>
        <optgroup label={t.clientsGroup}>
          {people?.clients.map((c) => (
            <option key={c.id} value={`client:${c.id}`}>
              {c.name}
            </option>
          ))}
        </optgroup>
      </select>
    </div>
  );
}

export function Schedule({ schedule, staff, actions }: { schedule: ScheduleState; staff: Staff; actions: ScheduleActions }) {
  const { zone, locale } = staff;
  const days = daysShown(schedule);
  const label = (key: string): string => dayLabel(startOfDay(key, zone), zone, locale);
  const visits = [...(schedule.visits ?? [])].sort((a, b) => a.start.localeCompare(b.start));
  const period = schedule.view === 'day' ? label(days[0]) : `${label(days[0])} – ${label(days[6])}`;
  return (
    <section class="schedule-section">
      <h2 id="schedule-heading">{t.scheduleTitle}</h2>
      <div class="toolbar">
        {staff.isCoordinator && <Picker schedule={schedule} onSubject={actions.subject} />}
        <div class="btn-group" role="group" aria-label={t.viewPicker}>
          {(['day', 'week'] as const).map((view) => (
            <button key={view} type="button" class="btn btn-toggle" aria-pressed={schedule.view === view} onClick={() => actions.view(view)}>
              {view === 'day' ? t.viewDay : t.viewWeek}
            </button>
          ))}
        </div>
        <div class="btn-group">
          <button type="button" class="btn" onClick={() => actions.move(-1)}>
            {t.previous}
          </button>
          <button type="button" class="btn" onClick={actions.today}>
            {t.today}
          </button>
          <button type="button" class="btn" onClick={() => actions.move(1)}>
            {t.next}
          </button>
        </div>
      </div>
      <p class="period" aria-live="polite">
        {period}
      </p>
      <p class="error" role="alert">
        {schedule.error ?? ''}
      </p>
      <div class="schedule" aria-labelledby="schedule-heading" aria-busy={schedule.visits === null}>
        {schedule.visits !== null &&
          days.map((key) => {
            const dayVisits = visits.filter((v) => dateKey(new Date(v.start), zone) === key);
            if (schedule.view === 'week' && dayVisits.length === 0) return null;
            return (
              <section key={key} class="day" aria-label={label(key)}>
                {schedule.view === 'week' && <h3 class="day-title">{label(key)}</h3>}
                {dayVisits.length === 0 ? (
                  <p class="muted">{t.noVisits}</p>
                ) : (
                  <ul class="visit-list">
                    {dayVisits.map((visit) => (
                      <li key={visit.id}>
                        <Card visit={visit} schedule={schedule} staff={staff} onOpen={() => actions.open(visit)} />
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            );
          })}
        {schedule.visits !== null && schedule.view === 'week' && visits.length === 0 && <p class="muted">{t.noVisits}</p>}
      </div>
    </section>
  );
}
