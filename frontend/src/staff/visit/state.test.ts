import { describe, expect, it } from 'vitest';
import type { SessionStatus, Visit } from '../../api/types';
import { STALE_MS } from '../../callChannel';
import { en as t } from '../../texts/staff';
import { LINK_GRACE_MS, REFRESH_MS, following, initialDialog, offered, reduceDialog, refreshMs, statusKey, statusLines, textRefusal } from './state';
import type { DialogEvent, DialogState } from './state';

const NOW = Date.parse('2026-11-25T19:40:00Z');
const session = (changes: Partial<SessionStatus> = {}): SessionStatus => ({
  state: 'invited',
  last_invite_sent_at: '2026-11-25T19:30:00Z',
  link_expires_at: '2026-11-25T20:45:00Z',
  client_present: false,
  employee_present: false,
  client_waiting: false,
  invite_stale: false,
  invite_bounced: false,
  invite_undeliverable: false,
  last_invite_channel: 'email',
  ended_reason: null,
  ...changes,
});
const visit = (changes: Partial<Visit> = {}): Visit => ({
  id: 'v1',
  client_id: 'c1',
  employee_id: 'e1',
  service_code: 'TELE',
  start: '2026-11-25T19:30:00Z',
  end: '2026-11-25T20:30:00Z',
  virtual: true,
  cancelled: false,
  cancelled_at: null,
  clock_in_at: null,
  clock_out_at: null,
  client: { id: 'c1', name: 'Ada', has_email: true, has_mobile: false, sms_consent: false, sms_status: null },
  session: session(),
  ...changes,
});
const reduce = (state: DialogState, ...events: DialogEvent[]): DialogState => events.reduce(reduceDialog, state);
const loaded = (v: Visit = visit()): DialogState => reduce(initialDialog, { type: 'loaded', visit: v, serviceName: 'Telehealth check-in' });
const call = (phase: 'checking' | 'waiting' | 'in-call' | 'left' | 'final', at = NOW, final?: { reason: string; message: string }): DialogEvent => ({
  type: 'call',
  news: { type: 'call', visitId: 'v1', phase, final },
  at,
});
const time = (iso: string): string => iso.slice(11, 16);
const lines = (state: DialogState, now = NOW): string => statusLines(state, now, t, time).join(' ');

describe('visit dialog', () => {
  it('test_r41_while_the_call_window_speaks_the_dialog_shows_its_state_and_does_not_ask_the_api', () => {
    const waiting = reduce(loaded(), call('waiting'));
    expect(following(waiting, NOW)).toBe(true);
    expect(refreshMs(waiting, NOW, false)).toBeNull();
    expect(lines(waiting)).toBe('The video session is running. The client has not joined yet. Last invite sent at 19:30.');
    expect(statusKey(waiting, NOW)).toBe('call-waiting');
    expect(lines(reduce(waiting, call('in-call')))).toContain('The client is in the call.');
    expect(lines(reduce(waiting, call('left')))).toContain('The client has left the call.');
    expect(lines(reduce(loaded(), call('checking')))).toContain(t.callWindowStarting);
  });

  it('test_r41_a_silent_or_closed_call_window_hands_back_to_the_api', () => {
    const waiting = reduce(loaded(), call('waiting'));
    expect(following(waiting, NOW + STALE_MS + 1)).toBe(false);
    expect(refreshMs(waiting, NOW + STALE_MS + 1, false)).toBe(REFRESH_MS);
    const closed = reduce(waiting, { type: 'call-closed' });
    expect(following(closed, NOW)).toBe(false);
    expect(refreshMs(closed, NOW, false)).toBe(REFRESH_MS);
  });

  it('test_r41_the_call_windows_end_ends_the_session_here_without_a_request', () => {
    const over = reduce(loaded(), call('waiting'), call('final', NOW, { reason: 'over', message: t.sessionOverEmployee }));
    expect(over.visit?.session.state).toBe('over');
    expect(lines(over)).toBe('The video session is over. Last invite sent at 19:30.');
    expect(refreshMs(over, NOW, false)).toBeNull();
    expect(offered(over, NOW)).toMatchObject({ invite: null, copy: false, join: false });
  });

  it('test_r11_a_refused_join_in_the_call_window_shows_here_too', () => {
    const refusal = { reason: 'refused', message: 'You must clock in…' };
    const refused = reduce(loaded(), { type: 'call-opening', at: NOW }, call('final', NOW, refusal));
    expect(refused.error).toBe('You must clock in…');
    expect(refused.visit?.session.state).toBe('invited');
    // once: after clocking in, the refused window's repeats do not bring the old refusal back
    const clockedIn = reduce(refused, { type: 'busy', action: 'clock-in' }, { type: 'clocked', visit: visit(), warning: null });
    expect(reduce(clockedIn, call('final', NOW + 5000, refusal)).error).toBeNull();
    // nor does a dialog opened later hear an old window's refusal as news
    expect(reduce(loaded(), call('final', NOW, refusal)).error).toBeNull();
  });

  it('test_r43_only_actions_that_can_still_succeed_are_offered', () => {
    expect(offered(loaded(visit({ session: session({ state: 'none', last_invite_sent_at: null }) })), NOW)).toEqual({
      invite: 'send',
      text: false,
      email: false,
      copy: true,
      join: true,
      clockIn: true,
      clockOut: false,
    });
    expect(offered(loaded(), NOW).invite).toBe('resend'); // R09
    const clockedIn = loaded(visit({ clock_in_at: '2026-11-25T19:31:00Z' }));
    expect(offered(clockedIn, NOW)).toMatchObject({ clockIn: false, clockOut: true, join: true });
    for (const state of ['over', 'expired'] as const) {
      expect(offered(loaded(visit({ session: session({ state }) })), NOW)).toMatchObject({ invite: null, copy: false, join: false });
    }
    const clockedOut = loaded(visit({ clock_in_at: '2026-11-25T19:31:00Z', clock_out_at: '2026-11-25T20:00:00Z' }));
    expect(offered(clockedOut, NOW)).toEqual({ invite: null, text: false, email: false, copy: false, join: false, clockIn: false, clockOut: false });
    // R13: past the link's end, no invite or join any more, even before the API said "expired"
    const late = Date.parse('2026-11-25T20:30:00Z') + LINK_GRACE_MS;
    expect(offered(loaded(), late)).toMatchObject({ invite: null, join: false });
    expect(offered(loaded(visit({ virtual: false })), NOW)).toMatchObject({ invite: null, join: false, clockIn: true });
  });

  it('test_r28_a_text_invite_is_offered_to_a_client_with_a_mobile_number_who_agreed_to_texts', () => {
    const client = (changes: Partial<Visit['client']>): Visit['client'] => ({ ...visit().client, ...changes });
    const fresh = session({ state: 'none', last_invite_sent_at: null, last_invite_channel: null });
    const texting = visit({ client: client({ has_mobile: true, sms_consent: true }), session: fresh });
    expect(offered(loaded(texting), NOW)).toMatchObject({ invite: 'send', text: true, email: false });
    expect(textRefusal(texting)).toBeNull();
    // No mobile number: no text button, and nothing to say about texts
    expect(offered(loaded(visit({ session: fresh })), NOW).text).toBe(false);
    expect(textRefusal(visit())).toBeNull();
    // A number but no consent (R28): not offered, and the reason in the API's words
    const noConsent = visit({ client: client({ has_mobile: true, sms_consent: false }), session: fresh });
    expect(offered(loaded(noConsent), NOW).text).toBe(false);
    expect(textRefusal(noConsent)).toBe('no-consent');
    expect(t.clientNoSmsConsent).toBe('The client has not agreed to receive text messages.');
    // Resent by text last: "Resend" goes by text; email is offered beside it
    const byText = visit({ client: client({ has_mobile: true, sms_consent: true }), session: session({ last_invite_channel: 'sms' }) });
    expect(offered(loaded(byText), NOW)).toMatchObject({ invite: 'resend', text: false, email: true });
    expect(lines(loaded(byText))).toContain(t.lastInviteSentByText('19:30'));
  });

  it('test_r29_an_opted_out_client_is_offered_no_text_and_the_dialog_says_why', () => {
    const optedOut = visit({ client: { ...visit().client, has_mobile: true, sms_consent: true, sms_status: 'opted_out' } });
    expect(offered(loaded(optedOut), NOW).text).toBe(false);
    expect(textRefusal(optedOut)).toBe('opted-out');
    expect(t.clientOptedOut).toBe('The client has opted out of text messages. Send the invite by email or copy the link.');
    // A failed delivery is a warning until the next invite (the API's words, R29's as the fallback)
    expect(t.inviteUndelivered).toBe("The last invite could not be delivered. Check the client's contact details.");
  });

  it('test_r34_a_cancelled_visit_offers_no_invite_clock_in_or_join_but_a_clock_out', () => {
    const cancelled = visit({ cancelled: true, cancelled_at: '2026-11-25T19:35:00Z', session: session({ state: 'over', ended_reason: 'cancelled' }) });
    expect(offered(loaded(cancelled), NOW)).toEqual({ invite: null, text: false, email: false, copy: false, join: false, clockIn: false, clockOut: false });
    const inProgress = visit({ cancelled: true, cancelled_at: '2026-11-25T19:35:00Z', clock_in_at: '2026-11-25T19:31:00Z' });
    expect(offered(loaded(inProgress), NOW)).toEqual({ invite: null, text: false, email: false, copy: false, join: false, clockIn: false, clockOut: true });
  });

  it('test_r35_the_api_says_the_client_waits_or_both_are_in', () => {
    // The client waits in the call, or with the join page open (the API's client_waiting covers both)
    expect(lines(loaded(visit({ session: session({ state: 'active', client_present: true, client_waiting: true }) })))).toContain(t.clientWaiting);
    expect(lines(loaded(visit({ session: session({ client_waiting: true }) })))).toContain(t.clientWaiting);
    expect(lines(loaded(visit({ session: session({ state: 'active', client_present: true }) })))).not.toContain(t.clientWaiting);
    const both = loaded(visit({ session: session({ state: 'active', client_present: true, employee_present: true }) }));
    expect(lines(both)).toContain(t.clientInCall);
    expect(lines(loaded(visit({ session: session({ state: 'active', employee_present: true }) })))).toContain(t.youAreInCall);
  });

  it('refreshes only while loaded, virtual, in view and not final', () => {
    expect(refreshMs(initialDialog, NOW, false)).toBeNull();
    expect(refreshMs(loaded(), NOW, false)).toBe(REFRESH_MS);
    expect(refreshMs(loaded(), NOW, true)).toBeNull();
    expect(refreshMs(loaded(visit({ virtual: false })), NOW, false)).toBeNull();
    expect(refreshMs(reduce(loaded(), { type: 'session', session: session({ state: 'expired' }) }), NOW, false)).toBeNull();
  });

  it('test_r22_r07_actions_report_what_came_back', () => {
    const warned = reduce(loaded(), { type: 'busy', action: 'clock-out' }, { type: 'clocked', visit: visit(), warning: 'Remember to hang up' });
    expect([warned.busy, warned.warning]).toEqual([null, 'Remember to hang up']);
    const copied = reduce(loaded(), { type: 'busy', action: 'copy' }, { type: 'invited', session: session(), feedback: 'link-copied', fallback: null });
    expect([copied.feedback, copied.copyFallback]).toEqual(['link-copied', null]);
    const byHand = reduce(loaded(), { type: 'invited', session: session(), feedback: 'link-copied', fallback: 'https://x/join#t' });
    expect(byHand.copyFallback).toBe('https://x/join#t');
    const failed = reduce(loaded(), { type: 'busy', action: 'invite' }, { type: 'failed', message: 'The client does not have an email address.' });
    expect([failed.busy, failed.error]).toEqual([null, 'The client does not have an email address.']);
  });
});
