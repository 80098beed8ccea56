import { describe, expect, it } from 'vitest';
import { clientBody } from './Clients';
import { visitTimes } from './Visits';

describe('what the console sends', () => {
  it('test_r33_a_visit_is_the_agencys_wall_clock_times_and_an_end_past_midnight_is_the_next_day', () => {
    const zone = 'America/New_York';
    expect(visitTimes({ day: '2026-11-25', start: '14:30', end: '15:15' }, zone)).toEqual({ start: '2026-11-25T19:30:00Z', end: '2026-11-25T20:15:00Z' });
    expect(visitTimes({ day: '2026-11-25', start: '23:30', end: '00:30' }, zone)).toEqual({ start: '2026-11-26T04:30:00Z', end: '2026-11-26T05:30:00Z' });
    // A day of a clock change: 01:30 after the change is EST
    expect(visitTimes({ day: '2026-11-01', start: '03:00', end: '04:00' }, zone)).toEqual({ start: '2026-11-01T08:00:00Z', end: '2026-11-01T09:00:00Z' });
    // What is missing is left out, and the API names it
    expect(visitTimes({ day: '2026-11-25', start: '', end: '15:00' }, zone)).toEqual({ end: '2026-11-25T20:00:00Z' });
    expect(visitTimes({ day: '', start: '14:00', end: '15:00' }, zone)).toEqual({});
  });

  it('test_r33_a_client_is_sent_as_filled_and_a_change_as_what_changed', () => {
    const values = { name: ' Ann Lee ', email: '', mobile_phone: '+15551234567', sms_consent: true, preferred_language: 'es' };
    expect(clientBody(values, null)).toEqual({ name: 'Ann Lee', mobile_phone: '+15551234567', sms_consent: true, preferred_language: 'es' });
    const before = { id: 'c1', name: 'Ann Lee', email: 'ann@example.com', preferred_language: 'es', has_email: true, email_failing: false, mobile_phone: '+15551234567', sms_consent: { at: '2026-11-01T10:00:00Z', by: 'coord1' }, sms_status: null };
    // Emptying the email removes it; consent already recorded is not recorded again
    expect(clientBody(values, before)).toEqual({ email: null });
    expect(clientBody({ ...values, sms_consent: false, email: 'ann@example.com' }, before)).toEqual({ sms_consent: false });
  });
});
