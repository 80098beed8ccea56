import { describe, expect, it } from 'vitest';
import type { Me } from '../api/types';
import type { Staff } from './session';
import { SCHEDULE_POLL_MS, daysShown, initialStaff, liveVisit, periodRange, reduceStaff, scheduleKey, schedulePollMs, sectionFor } from './state';
import type { StaffEvent, StaffState } from './state';

const me: Me = { employee_id: 'e1', name: 'James Okafor', role: 'employee', agency_id: 'a1', time_zone: 'America/New_York', agency: { id: 'a1', name: 'Sunrise', locale: 'en-US' } };
const staff: Staff = { me, zone: 'America/New_York', locale: 'en-US', isCoordinator: false, name: 'James Okafor' };
const reduce = (state: StaffState, ...events: StaffEvent[]): StaffState => events.reduce(reduceStaff, state);
const signedIn = reduce(initialStaff, { type: 'signed-in', staff, today: '2026-11-25', askedDay: null });

describe('staff app', () => {
  it('signs in to today’s schedule, or the day the address asks for', () => {
    expect(signedIn).toMatchObject({ screen: 'schedule', schedule: { view: 'day', day: '2026-11-25', subject: { kind: 'me', id: 'e1' }, visits: null } });
    const asked = reduce(initialStaff, { type: 'signed-in', staff, today: '2026-11-25', askedDay: '2026-12-01' });
    expect(asked.screen === 'schedule' && asked.schedule.day).toBe('2026-12-01');
    const junk = reduce(initialStaff, { type: 'signed-in', staff, today: '2026-11-25', askedDay: '../etc' });
    expect(junk.screen === 'schedule' && junk.schedule.day).toBe('2026-11-25');
  });

  it('test_r37_a_period_is_whole_agency_days_half_open', () => {
    expect(periodRange({ view: 'day', day: '2026-11-25' }, 'America/New_York')).toEqual({ from: '2026-11-25T05:00:00Z', to: '2026-11-26T05:00:00Z' });
    expect(daysShown({ view: 'week', day: '2026-11-25' })).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    expect(periodRange({ view: 'week', day: '2026-11-25' }, 'America/New_York')).toEqual({ from: '2026-11-23T05:00:00Z', to: '2026-11-30T05:00:00Z' });
  });

  it('moving, switching view or person reads again; an answer for an older choice is dropped', () => {
    if (signedIn.screen !== 'schedule') throw new Error('not signed in');
    const oldKey = scheduleKey(signedIn.schedule);
    const moved = reduce(signedIn, { type: 'move', step: 1 });
    expect(moved.screen === 'schedule' && moved.schedule).toMatchObject({ day: '2026-11-26', visits: null });
    expect(reduce(moved, { type: 'visits', key: oldKey, visits: [] })).toEqual(moved);
    const week = reduce(signedIn, { type: 'view', view: 'week' }, { type: 'move', step: -1 });
    expect(week.screen === 'schedule' && week.schedule.day).toBe('2026-11-18');
  });

  it('test_r03_a_card_opens_the_preview_then_the_dialog', () => {
    const visit = { id: 'v1', client_id: 'c1', employee_id: 'e1', service_code: 'TELE', start: 's', end: 'e', virtual: true, cancelled: false, client: { id: 'c1', name: 'Ada', has_email: true, has_mobile: false, sms_consent: false, sms_status: null } };
    const preview = reduce(signedIn, { type: 'preview', visit });
    expect(preview.screen === 'schedule' && preview.open).toEqual({ kind: 'preview', visit });
    const dialog = reduce(preview, { type: 'details', visitId: 'v1' });
    expect(dialog.screen === 'schedule' && dialog.open).toEqual({ kind: 'visit', visitId: 'v1' });
    const closed = reduce(dialog, { type: 'close' });
    expect(closed.screen === 'schedule' && closed.open).toBeNull();
  });
});

describe('the coordinator’s sections and the caregiver’s schedule', () => {
  const coordinator: Staff = { ...staff, isCoordinator: true };
  const entry = (start: string, changes: Record<string, unknown> = {}) => ({
    id: 'v1', client_id: 'c1', employee_id: 'e1', service_code: 'TELE', start, end: new Date(Date.parse(start) + 3600000).toISOString(),
    virtual: true, cancelled: false, client: { id: 'c1', name: 'Ada', has_email: true, has_mobile: false, sms_consent: false, sms_status: null }, ...changes,
  });

  it('test_r33_a_coordinator_opens_any_section_and_a_caregiver_the_schedule_alone', () => {
    const signed = reduce(initialStaff, { type: 'signed-in', staff: coordinator, today: '2026-11-25', askedDay: null, askedSection: 'board' });
    expect(signed.screen === 'schedule' && signed.section).toBe('board');
    const moved = reduce(signed, { type: 'section', section: 'report' });
    expect(moved.screen === 'schedule' && moved.section).toBe('report');
    expect(sectionFor(coordinator, 'nowhere')).toBe('schedule');
    expect(sectionFor(staff, 'board')).toBe('schedule');
  });

  it('test_r35_the_caregivers_own_schedule_looks_again_while_a_client_could_be_waiting', () => {
    const now = Date.parse('2026-11-25T15:00:00Z');
    const withVisits = (visits: ReturnType<typeof entry>[]): StaffState => {
      if (signedIn.screen !== 'schedule') throw new Error('not signed in');
      return { ...signedIn, schedule: { ...signedIn.schedule, visits } };
    };
    expect(schedulePollMs(withVisits([entry('2026-11-25T16:30:00Z')]), now, false)).toBe(SCHEDULE_POLL_MS); // starts within 2 h
    expect(schedulePollMs(withVisits([entry('2026-11-25T18:00:00Z')]), now, false)).toBeNull(); // later
    expect(schedulePollMs(withVisits([entry('2026-11-25T14:30:00Z', { cancelled: true })]), now, false)).toBeNull();
    expect(schedulePollMs(withVisits([entry('2026-11-25T14:30:00Z', { virtual: false })]), now, false)).toBeNull();
    expect(schedulePollMs(withVisits([entry('2026-11-25T14:30:00Z')]), now, true)).toBeNull(); // hidden
    expect(liveVisit(entry('2026-11-25T13:50:00Z'), now)).toBe(true); // ended 10 min ago: the link lives 15 more
  });
});
