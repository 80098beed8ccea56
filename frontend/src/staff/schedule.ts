/**
 * The schedule: day or week, the caregiver's own, or (for a coordinator) any employee's or
 * client's. Virtual visits carry the virtual-care icon labelled "Virtual visit" (R02).
 */
import { errorText } from '../api';
import { addDays, dateKey, dayLabel, isoZ, mondayOf, startOfDay, timeRange } from '../format';
import { clear, h, virtualIcon } from '../dom';
import { t } from '../texts';
import type { Person, Visit } from '../types';
import type { Staff } from './session';
import { staffApi } from './session';
import { openPreview } from './preview';

type View = 'day' | 'week';

interface Subject {
  kind: 'me' | 'employee' | 'client';
  id: string;
}

function asList<T>(data: unknown, key: string): T[] {
  if (Array.isArray(data)) return data as T[];
  const inner = (data as Record<string, unknown> | null)?.[key];
  return Array.isArray(inner) ? (inner as T[]) : [];
}

function schedulePath(subject: Subject, from: string, to: string): string {
  const range = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  if (subject.kind === 'employee') return `/employees/${encodeURIComponent(subject.id)}/schedule?${range}`;
  if (subject.kind === 'client') return `/clients/${encodeURIComponent(subject.id)}/schedule?${range}`;
  return `/schedule?${range}`;
}

export async function renderSchedule(main: HTMLElement, staff: Staff): Promise<void> {
  const zone = staff.timeZone;
  let view: View = 'day';
  // `/?day=YYYY-MM-DD` opens the schedule on that day (a bookmarkable link); otherwise today.
  const askedDay = new URLSearchParams(location.search).get('day');
  let day = askedDay && /^\d{4}-\d{2}-\d{2}$/.test(askedDay) ? askedDay : dateKey(new Date(), zone);
  let subject: Subject = { kind: 'me', id: staff.me.employee_id };
  const names = new Map<string, string>();

  const heading = h('h2', { id: 'schedule-heading' }, t.scheduleTitle);
  const toolbar = h('div', { class: 'toolbar' });
  const period = h('p', { class: 'period', 'aria-live': 'polite' });
  const list = h('div', { class: 'schedule', 'aria-labelledby': 'schedule-heading' });
  const error = h('p', { class: 'error', role: 'alert' });
  main.append(h('section', { class: 'schedule-section' }, heading, toolbar, period, error, list));

  if (staff.isCoordinator) {
    const select = h('select', { id: 'subject-picker', class: 'select' });
    select.append(h('option', { value: 'me:' }, t.mySchedule));
    const label = h('label', { for: 'subject-picker', class: 'label' }, t.scheduleFor);
    toolbar.append(h('div', { class: 'field' }, label, select));
    try {
      const [employees, clients] = await Promise.all([
        staffApi<unknown>('GET', '/employees').then((d) => asList<Person>(d, 'employees')),
        staffApi<unknown>('GET', '/clients').then((d) => asList<Person>(d, 'clients')),
      ]);
      const eGroup = h('optgroup', { label: t.employeesGroup });
      for (const e of employees) {
        names.set(e.id, e.name);
        eGroup.append(h('option', { value: `employee:${e.id}` }, e.name));
      }
      const cGroup = h('optgroup', { label: t.clientsGroup });
      for (const c of clients) cGroup.append(h('option', { value: `client:${c.id}` }, c.name));
      select.append(eGroup, cGroup);
    } catch (err) {
      error.textContent = errorText(err);
    }
    select.addEventListener('change', () => {
      const [kind, id] = select.value.split(':');
      subject = kind === 'me' ? { kind: 'me', id: staff.me.employee_id } : { kind: kind as Subject['kind'], id };
      void load();
    });
  }

  const dayBtn = h('button', { type: 'button', class: 'btn btn-toggle', 'aria-pressed': 'true' }, t.viewDay);
  const weekBtn = h('button', { type: 'button', class: 'btn btn-toggle', 'aria-pressed': 'false' }, t.viewWeek);
  const prev = h('button', { type: 'button', class: 'btn' }, t.previous);
  const today = h('button', { type: 'button', class: 'btn' }, t.today);
  const next = h('button', { type: 'button', class: 'btn' }, t.next);
  toolbar.append(
    h('div', { class: 'btn-group', role: 'group', 'aria-label': `${t.viewDay} / ${t.viewWeek}` }, dayBtn, weekBtn),
    h('div', { class: 'btn-group' }, prev, today, next),
  );
  const setView = (v: View): void => {
    view = v;
    dayBtn.setAttribute('aria-pressed', String(v === 'day'));
    weekBtn.setAttribute('aria-pressed', String(v === 'week'));
    void load();
  };
  dayBtn.addEventListener('click', () => setView('day'));
  weekBtn.addEventListener('click', () => setView('week'));
  prev.addEventListener('click', () => {
    day = addDays(day, view === 'day' ? -1 : -7);
    void load();
  });
  next.addEventListener('click', () => {
    day = addDays(day, view === 'day' ? 1 : 7);
    void load();
  });
  today.addEventListener('click', () => {
    day = dateKey(new Date(), zone);
    void load();
  });

  let loadSeq = 0;
  async function load(): Promise<void> {
    const seq = ++loadSeq;
    const firstDay = view === 'day' ? day : mondayOf(day);
    const days = view === 'day' ? [firstDay] : Array.from({ length: 7 }, (_, i) => addDays(firstDay, i));
    const from = startOfDay(firstDay, zone);
    const to = startOfDay(addDays(days[days.length - 1], 1), zone);
    period.textContent =
      view === 'day' ? dayLabel(from, zone) : `${dayLabel(from, zone)} – ${dayLabel(startOfDay(days[6], zone), zone)}`;
    error.textContent = '';
    let visits: Visit[];
    try {
      visits = asList<Visit>(await staffApi<unknown>('GET', schedulePath(subject, isoZ(from), isoZ(to))), 'visits');
    } catch (err) {
      if (seq !== loadSeq) return;
      clear(list);
      error.textContent = errorText(err);
      return;
    }
    if (seq !== loadSeq) return;
    visits.sort((a, b) => a.start.localeCompare(b.start));
    clear(list);
    for (const key of days) {
      const dayVisits = visits.filter((v) => dateKey(new Date(v.start), zone) === key);
      if (view === 'day' || dayVisits.length > 0) {
        // In day view the period line already names the day.
        const group = h('section', { class: 'day', 'aria-label': dayLabel(startOfDay(key, zone), zone) });
        if (view === 'week') group.append(h('h3', { class: 'day-title' }, dayLabel(startOfDay(key, zone), zone)));
        const ul = h('ul', { class: 'visit-list' });
        for (const visit of dayVisits) ul.append(h('li', {}, visitCard(visit)));
        if (dayVisits.length === 0) group.append(h('p', { class: 'muted' }, t.noVisits));
        else group.append(ul);
        list.append(group);
      }
    }
    if (visits.length === 0 && view === 'week') list.append(h('p', { class: 'muted' }, t.noVisits));
  }

  function visitCard(visit: Visit): HTMLButtonElement {
    const who = subject.kind === 'client' ? names.get(visit.employee_id) ?? visit.employee?.name ?? visit.employee_id : visit.client?.name ?? visit.client_id;
    const card = h(
      'button',
      { type: 'button', class: `visit-card${visit.virtual ? ' is-virtual' : ''}`, 'data-visit-id': visit.id },
      h('span', { class: 'visit-time' }, timeRange(visit.start, visit.end, zone)),
      h('span', { class: 'visit-who' }, who),
      h('span', { class: 'visit-service' }, visit.service_code),
    );
    if (visit.virtual) card.append(virtualIcon(t.virtualVisitLabel));
    card.addEventListener('click', () => openPreview(visit, staff, () => void load()));
    return card;
  }

  await load();
}
