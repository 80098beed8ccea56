/**
 * The staff app's page as one state (pure: tested in state.test.ts).
 *
 *   loading ──▶ sign-in ──signed in──▶ schedule ──card──▶ preview ──More details──▶ visit dialog
 *      └──────────────────────────────▶   ▲   └──────────────── close ◀──────────────────┘
 *                                      failed
 *
 * The schedule's part says which days, whose visits (a coordinator can pick any employee or client) and
 * what was read; the visit dialog, while open, has its own state (visit/state.ts).
 */
import type { Client, DevUser, Employee, ScheduleEntry } from '../api/types';
import { addDays, isoZ, mondayOf, startOfDay } from '../calendar';
import type { Staff } from './session';

export type View = 'day' | 'week';

export interface Subject {
  kind: 'me' | 'employee' | 'client';
  id: string;
}

export interface ScheduleState {
  view: View;
  /** The day shown (day view) or a day of the week shown (week view), YYYY-MM-DD in the agency's zone. */
  day: string;
  subject: Subject;
  /** Null while the visits of the current period are read. */
  visits: ScheduleEntry[] | null;
  error: string | null;
  /** A coordinator's choice of whose schedule to see. */
  people: { employees: Employee[]; clients: Client[] } | null;
  /** Service names by code, so cards show what the dialog shows. */
  services: Record<string, string>;
}

export type Overlay = { kind: 'preview'; visit: ScheduleEntry } | { kind: 'visit'; visitId: string } | null;

/** The coordinator's sections (R33, R35, R37); a caregiver has the schedule alone. */
export const SECTIONS = ['schedule', 'board', 'visits', 'clients', 'staff', 'services', 'report', 'settings'] as const;
export type Section = (typeof SECTIONS)[number];

export type StaffState =
  | { screen: 'loading' }
  | { screen: 'sign-in'; users: DevUser[] | null; cognito: boolean; busy: boolean; error: string | null }
  | { screen: 'failed'; message: string }
  | { screen: 'schedule'; staff: Staff; schedule: ScheduleState; open: Overlay; section: Section; today: string };

export type StaffEvent =
  | { type: 'sign-in'; cognito: boolean }
  | { type: 'users'; users: DevUser[] }
  | { type: 'signing-in' }
  | { type: 'sign-in-failed'; message: string }
  | { type: 'signed-in'; staff: Staff; today: string; askedDay: string | null; askedSection?: string | null }
  | { type: 'section'; section: string }
  | { type: 'agency'; staff: Staff }
  | { type: 'failed'; message: string }
  | { type: 'view'; view: View }
  | { type: 'move'; step: -1 | 1 }
  | { type: 'today'; today: string }
  | { type: 'subject'; subject: Subject }
  | { type: 'visits'; key: string; visits: ScheduleEntry[] }
  | { type: 'visits-failed'; key: string; message: string }
  | { type: 'people'; employees: Employee[]; clients: Client[] }
  | { type: 'services'; names: Record<string, string> }
  | { type: 'preview'; visit: ScheduleEntry }
  | { type: 'details'; visitId: string }
  | { type: 'close' };

export const initialStaff: StaffState = { screen: 'loading' };

/** The days a schedule state shows. */
export function daysShown(schedule: Pick<ScheduleState, 'view' | 'day'>): string[] {
  if (schedule.view === 'day') return [schedule.day];
  const first = mondayOf(schedule.day);
  return Array.from({ length: 7 }, (_, i) => addDays(first, i));
}

/** The instants a schedule state's days span in the agency's zone, as the API takes them: [from, to). */
export function periodRange(schedule: Pick<ScheduleState, 'view' | 'day'>, zone: string): { from: string; to: string } {
  const days = daysShown(schedule);
  return { from: isoZ(startOfDay(days[0], zone)), to: isoZ(startOfDay(addDays(days[days.length - 1], 1), zone)) };
}

/** What the visits read are for: a newer answer replaces an older one, an older one never a newer. */
export function scheduleKey(schedule: Pick<ScheduleState, 'view' | 'day' | 'subject'>): string {
  const days = daysShown(schedule);
  return `${schedule.subject.kind}:${schedule.subject.id}:${days[0]}:${days[days.length - 1]}`;
}

function reduceSchedule(schedule: ScheduleState, event: StaffEvent): ScheduleState {
  const reread = (changes: Partial<ScheduleState>): ScheduleState => ({ ...schedule, ...changes, visits: null, error: null });
  switch (event.type) {
    case 'view':
      return event.view === schedule.view ? schedule : reread({ view: event.view });
    case 'move':
      return reread({ day: addDays(schedule.day, event.step * (schedule.view === 'day' ? 1 : 7)) });
    case 'today':
      return reread({ day: event.today });
    case 'subject':
      return reread({ subject: event.subject });
    case 'visits':
      return event.key === scheduleKey(schedule) ? { ...schedule, visits: event.visits, error: null } : schedule;
    case 'visits-failed':
      return event.key === scheduleKey(schedule) ? { ...schedule, visits: [], error: event.message } : schedule;
    case 'people':
      return { ...schedule, people: { employees: event.employees, clients: event.clients } };
    case 'services':
      return { ...schedule, services: event.names };
    default:
      return schedule;
  }
}

export function reduceStaff(state: StaffState, event: StaffEvent): StaffState {
  switch (event.type) {
    case 'sign-in':
      return { screen: 'sign-in', users: null, cognito: event.cognito, busy: false, error: null };
    case 'users':
      return state.screen === 'sign-in' ? { ...state, users: event.users } : state;
    case 'signing-in':
      return state.screen === 'sign-in' ? { ...state, busy: true, error: null } : state;
    case 'sign-in-failed':
      return state.screen === 'sign-in' ? { ...state, busy: false, error: event.message } : { screen: 'failed', message: event.message };
    case 'signed-in': {
      const day = event.askedDay && /^\d{4}-\d{2}-\d{2}$/.test(event.askedDay) ? event.askedDay : event.today;
      const schedule: ScheduleState = {
        view: 'day',
        day,
        subject: { kind: 'me', id: event.staff.me.employee_id },
        visits: null,
        error: null,
        people: null,
        services: {},
      };
      return { screen: 'schedule', staff: event.staff, schedule, open: null, section: sectionFor(event.staff, event.askedSection), today: event.today };
    }
    case 'section':
      return state.screen === 'schedule' ? { ...state, section: sectionFor(state.staff, event.section), open: null } : state;
    case 'agency':
      return state.screen === 'schedule' ? { ...state, staff: event.staff } : state;
    case 'failed':
      return { screen: 'failed', message: event.message };
    case 'preview':
      return state.screen === 'schedule' ? { ...state, open: { kind: 'preview', visit: event.visit } } : state;
    case 'details':
      return state.screen === 'schedule' ? { ...state, open: { kind: 'visit', visitId: event.visitId } } : state;
    case 'close':
      return state.screen === 'schedule' ? { ...state, open: null } : state;
    default:
      return state.screen === 'schedule' ? { ...state, schedule: reduceSchedule(state.schedule, event) } : state;
  }
}

/** The section to show: one the person may see (a caregiver sees the schedule alone), else the schedule. */
export function sectionFor(staff: Pick<Staff, 'isCoordinator'>, asked: string | null | undefined): Section {
  const known = SECTIONS.find((section) => section === asked);
  return known && (staff.isCoordinator || known === 'schedule') ? known : 'schedule';
}

/** The schedule a caregiver keeps open looks again this often while a client could be waiting for them (R35). */
export const SCHEDULE_POLL_MS = 30000;
const WAITING_WINDOW_MS = 2 * 60 * 60 * 1000;
const LINK_GRACE_MS = 15 * 60 * 1000;

/** Whether a client could be waiting for a visit now: virtual, not cancelled, from 2 hours before to the link's end. */
export function liveVisit(visit: ScheduleEntry, now: number): boolean {
  const start = Date.parse(visit.start);
  return visit.virtual && !visit.cancelled && start - WAITING_WINDOW_MS <= now && now < Date.parse(visit.end) + LINK_GRACE_MS;
}

/** How often the schedule looks again (null: not at all): the caller's own schedule, in view, with a live visit. */
export function schedulePollMs(state: StaffState, now: number, hidden: boolean): number | null {
  if (state.screen !== 'schedule' || state.section !== 'schedule' || hidden || state.open !== null) return null;
  const { subject, visits } = state.schedule;
  if (subject.kind !== 'me' || !visits) return null;
  return visits.some((v) => liveVisit(v, now)) ? SCHEDULE_POLL_MS : null;
}
