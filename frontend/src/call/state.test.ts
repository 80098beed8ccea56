import { describe, expect, it } from 'vitest';
import type { SessionStatus } from '../api/types';
import { joinAnswer } from '../testing/fixtures';
import { en as t } from '../texts/staff';
import { MAX_MEDIA_REJOINS, SESSION_POLL_MS, initialCall, inMeeting, nextSteps, reduceCall, sessionPollMs } from './state';
import type { CallEvent, CallState } from './state';

const reduce = (state: CallState, ...events: CallEvent[]): CallState => events.reduce((s, e) => reduceCall(s, e, t), state);
const status = (state: SessionStatus['state'], sentAt: string | null = '2026-11-25T19:30:00Z'): SessionStatus => ({
  state,
  last_invite_sent_at: sentAt,
  link_expires_at: null,
  client_present: false,
  employee_present: false,
  client_waiting: false,
  invite_stale: false,
  invite_bounced: false,
  invite_undeliverable: false,
  last_invite_channel: sentAt ? 'email' : null,
  ended_reason: null,
});
const inCall = reduce(initialCall, { type: 'allowed' }, { type: 'started', join: joinAnswer(false) });

describe('call window: checking → waiting → in call → left → final', () => {
  it('test_r42_devices_are_asked_for_only_after_the_api_allowed_the_join', () => {
    expect(initialCall.phase).toBe('checking');
    expect(reduce(initialCall, { type: 'allowed' }).phase).toBe('devices');
    // a refusal goes straight to a final state: the devices phase never comes
    const refused = reduce(initialCall, { type: 'refused', message: 'You must clock in…' });
    expect(refused).toEqual({ phase: 'final', reason: 'refused', message: 'You must clock in…' });
    expect(reduce(refused, { type: 'allowed' })).toBe(refused);
  });

  it('a busy video service shows connecting while the window asks again, then the devices (issue 16)', () => {
    const connecting = reduce(initialCall, { type: 'connecting' });
    expect(connecting).toMatchObject({ phase: 'checking', connecting: true });
    // still no camera before the API's yes (R42); the yes moves on to the devices
    expect(reduce(connecting, { type: 'allowed' }).phase).toBe('devices');
    expect(reduce(inCall, { type: 'connecting' })).toBe(inCall);
  });

  it('test_r15_r19_waiting_until_the_client_comes_then_left_when_they_go', () => {
    expect(inCall.phase).toBe('waiting');
    const joined = reduce(inCall, { type: 'peer', present: true });
    expect(joined.phase).toBe('in-call');
    const left = reduce(joined, { type: 'peer', present: false });
    expect(left.phase).toBe('left');
    expect(reduce(left, { type: 'peer', present: true }).phase).toBe('in-call');
    // a client who never came is still awaited, not "left"
    expect(reduce(inCall, { type: 'peer', present: false }).phase).toBe('waiting');
    // the API's join answer says the client is already there
    expect(reduce(initialCall, { type: 'allowed' }, { type: 'started', join: joinAnswer(true) }).phase).toBe('in-call');
  });

  it('test_r20_hang_up_asks_first_and_the_end_is_final', () => {
    const asking = reduce(inCall, { type: 'hang-up' });
    expect(inMeeting(asking) && asking.call.confirm).toBe('open');
    const kept = reduce(asking, { type: 'hang-up-cancel' });
    expect(inMeeting(kept) && kept.call.confirm).toBe('closed');
    const failed = reduce(asking, { type: 'hang-up-confirm' }, { type: 'hang-up-failed', message: 'No network' });
    expect(inMeeting(failed) && [failed.call.confirm, failed.call.error]).toEqual(['open', 'No network']);
    const over = reduce(asking, { type: 'hang-up-confirm' }, { type: 'status', status: status('over') });
    expect(over).toEqual({ phase: 'final', reason: 'over', message: t.sessionOverEmployee });
    expect(reduce(over, { type: 'peer', present: true }, { type: 'meeting-gone' })).toBe(over);
  });

  it('test_r22_r13_an_end_or_expiry_elsewhere_shows_the_right_text', () => {
    expect(reduce(inCall, { type: 'status', status: status('over') })).toMatchObject({ reason: 'over' });
    expect(reduce(inCall, { type: 'status', status: status('expired') })).toEqual({
      phase: 'final',
      reason: 'expired',
      message: t.sessionExpiredEmployee,
    });
  });

  it('a meeting gone with the session open is joined again, at most MAX_MEDIA_REJOINS times in a row', () => {
    let state: CallState = inCall;
    for (let i = 1; i <= MAX_MEDIA_REJOINS; i++) {
      state = reduce(state, { type: 'meeting-gone' });
      expect(state).toMatchObject({ phase: 'checking', rejoins: i });
      state = reduce(state, { type: 'status', status: status('active') }, { type: 'allowed' }, { type: 'started', join: joinAnswer(true) });
      expect(state.phase).toBe('in-call');
    }
    state = reduce(state, { type: 'meeting-gone' }, { type: 'status', status: status('active') });
    expect(state).toEqual({ phase: 'final', reason: 'video-lost', message: t.videoLost });
  });

  it('a rejoin that connected starts the count again', () => {
    let state = reduce(inCall, { type: 'meeting-gone' }, { type: 'allowed' }, { type: 'started', join: joinAnswer(true) });
    expect(inMeeting(state) && state.call.rejoins).toBe(1);
    state = reduce(state, { type: 'stage', event: { type: 'connection', state: 'connected' } });
    expect(inMeeting(state) && state.call.rejoins).toBe(0);
  });

  it('test_r14_blocked_devices_offer_try_again_which_asks_the_api_again', () => {
    const blocked = reduce(initialCall, { type: 'allowed' }, { type: 'devices-blocked', problem: 'blocked' });
    expect(blocked).toMatchObject({ phase: 'blocked', problem: 'blocked' });
    expect(reduce(blocked, { type: 'retry' }).phase).toBe('checking');
  });

  it('test_r15_resend_updates_the_last_invite_time', () => {
    const sent = reduce(inCall, { type: 'resend-start' }, { type: 'resend-done', status: status('invited', '2026-11-25T20:00:00Z') });
    expect(inMeeting(sent) && [sent.call.resend, sent.call.lastInviteSentAt]).toEqual(['sent', '2026-11-25T20:00:00Z']);
    const failed = reduce(inCall, { type: 'resend-start' }, { type: 'resend-failed', message: 'Refused' });
    expect(inMeeting(failed) && [failed.call.resend, failed.call.error]).toEqual(['idle', 'Refused']);
  });

  it('the session is looked at only while in the meeting with the media not connected', () => {
    expect(sessionPollMs(initialCall)).toBeNull();
    expect(sessionPollMs(inCall)).toBe(SESSION_POLL_MS);
    expect(sessionPollMs(reduce(inCall, { type: 'stage', event: { type: 'connection', state: 'connected' } }))).toBeNull();
    expect(sessionPollMs(reduce(inCall, { type: 'stage', event: { type: 'connection', state: 'reconnecting' } }))).toBe(SESSION_POLL_MS);
  });

  it('test_r43_every_final_state_offers_a_next_step', () => {
    expect(nextSteps('over')).toEqual(['close']);
    expect(nextSteps('refused')).toEqual(['back-to-visit', 'close']);
    expect(nextSteps('expired')).toEqual(['back-to-visit', 'close']);
    expect(nextSteps('video-lost')).toEqual(['back-to-visit', 'close']);
    expect(nextSteps('failed')).toEqual(['retry', 'close']);
    expect(nextSteps('signed-out')).toEqual(['staff-app']);
    // an unreachable API may be tried again; a refusal may not
    expect(reduce(initialCall, { type: 'failed', message: 'offline' }, { type: 'retry' })).toBe(initialCall);
    const refused = reduce(initialCall, { type: 'refused', message: 'no' });
    expect(reduce(refused, { type: 'retry' })).toBe(refused);
  });

  it('a missing visit or sign-in is final with its own words', () => {
    expect(reduce(initialCall, { type: 'missing', what: 'visit' })).toEqual({ phase: 'final', reason: 'no-visit', message: t.noVisit });
    expect(reduce(initialCall, { type: 'missing', what: 'sign-in' })).toEqual({ phase: 'final', reason: 'signed-out', message: t.notSignedIn });
  });
});
