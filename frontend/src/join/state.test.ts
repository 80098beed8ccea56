import { describe, expect, it } from 'vitest';
import type { ClientView } from '../api/types';
import { joinAnswer } from '../testing/fixtures';
import { en as texts } from '../texts/client';
import { IDLE_POLL_MS, STATE_POLL_MS, caregiverAwaited, holdsPreview, initialJoin, linkToken, pollMs, reduceJoin, refusedVisit, shouldJoin } from './state';
import type { JoinEvent, JoinState } from './state';

const reduce = (state: JoinState, ...events: JoinEvent[]): JoinState => events.reduce((s, e) => reduceJoin(s, e, texts), state);
const view = (changes: Partial<ClientView> = {}): ClientView => ({
  language: 'en',
  agency_name: 'Sunrise Home Care',
  caregiver_first_name: 'James',
  start: '2026-11-25T19:30:00Z',
  end: '2026-11-25T20:30:00Z',
  time_zone: 'America/New_York',
  zone_names: { en: 'Eastern Time', es: 'hora del Este' },
  state: 'invited',
  caregiver_present: false,
  provider: 'local',
  ...changes,
});
const ready = reduce(initialJoin, { type: 'link', info: view() });
const checked = reduce(ready, { type: 'check-start' }, { type: 'check-ok' });
const connected = { type: 'stage', event: { type: 'connection', state: 'connected' } } as const;

describe('join page: checking → ready → joining → waiting → in call → left → final', () => {
  it('test_r10_r45_any_fragment_that_cannot_be_a_token_is_no_token', () => {
    expect(linkToken('#abc%')).toBeNull();
    expect(linkToken('#%E0%A4%A')).toBeNull();
    expect(linkToken('')).toBeNull();
    expect(linkToken('#<script>')).toBeNull();
    expect(linkToken('#' + 'a'.repeat(201))).toBeNull();
    expect(linkToken('#AbC-_09xyzAbC-_09xyzAbC-_09xyzAbC-_09xyzAbC')).toBe('AbC-_09xyzAbC-_09xyzAbC-_09xyzAbC-_09xyzAbC');
    expect(linkToken('#abc%2Ddef')).toBe('abc-def');
  });

  it('test_r16_the_link_shows_the_visit_and_waits_for_the_caregiver', () => {
    expect(ready).toMatchObject({ phase: 'ready', check: { step: 'idle' }, info: view() });
    expect(caregiverAwaited(ready)).toBe(true);
    expect(caregiverAwaited(reduce(ready, { type: 'link', info: view({ caregiver_present: true }) }))).toBe(false);
  });

  it('test_r42_the_device_check_comes_only_after_the_api_said_the_link_is_good', () => {
    // a refused link never reaches a state with a device check
    for (const refusal of [
      { type: 'refused', status: 404, code: 'INVALID_LINK', message: 'no longer valid' },
      { type: 'refused', status: 410, code: 'LINK_EXPIRED', message: 'expired' },
      { type: 'refused', status: 400, code: 'BAD_REQUEST', message: 'token: bad' },
    ] as const) {
      const state = reduce(initialJoin, refusal);
      expect(state.phase).toBe('final');
      expect(reduce(state, { type: 'check-start' }, { type: 'join' })).toBe(state);
    }
    expect(reduce(initialJoin, { type: 'check-start' })).toBe(initialJoin);
    expect(checked).toMatchObject({ phase: 'ready', check: { step: 'ready' } });
  });

  it('test_r10_r13_refusals_say_the_api_message_or_the_r10_text', () => {
    expect(reduce(initialJoin, { type: 'refused', status: 404, code: 'INVALID_LINK', message: 'API words' })).toMatchObject({
      reason: 'invalid',
      message: 'API words',
      info: null,
    });
    expect(reduce(initialJoin, { type: 'refused', status: 400, code: 'BAD_REQUEST', message: 'token: too long' })).toMatchObject({
      reason: 'invalid',
      message: texts.linkInvalid,
    });
    expect(reduce(ready, { type: 'refused', status: 410, code: 'LINK_EXPIRED', message: 'expired words' })).toMatchObject({
      reason: 'expired',
      message: 'expired words',
      info: view(),
    });
  });

  it('test_r44_an_over_session_keeps_the_agency_caregiver_and_time', () => {
    const over = reduce(initialJoin, { type: 'link', info: view({ state: 'over' }) });
    expect(over).toEqual({ phase: 'final', reason: 'over', code: 'SESSION_OVER', message: texts.caregiverEnded, info: view({ state: 'over' }) });
    const joinedOver = reduce(checked, { type: 'join' }, { type: 'refused', status: 409, code: 'SESSION_OVER', message: 'x' });
    expect(joinedOver).toMatchObject({ reason: 'over', message: texts.caregiverEnded, info: view() });
  });

  it('test_r44_an_expired_link_shows_the_visit_its_refusal_carries_and_nothing_else', () => {
    const visit = { agency_name: 'Sunrise Home Care', caregiver_first_name: 'James', start: '2026-11-25T19:30:00Z', end: '2026-11-25T20:30:00Z', time_zone: 'America/New_York', zone_names: { en: 'Eastern Time', es: 'hora del Este' } };
    // the refusal's body carries the visit: exactly its five fields are kept
    expect(refusedVisit({ Code: 'LINK_EXPIRED', Message: 'x', Visit: { ...visit, extra: 'dropped' } })).toEqual(visit);
    // nothing, or not all of it as text: no visit
    expect(refusedVisit({ Code: 'LINK_EXPIRED', Message: 'x' })).toBeNull();
    expect(refusedVisit({ Visit: null })).toBeNull();
    expect(refusedVisit({ Visit: 'Sunrise' })).toBeNull();
    expect(refusedVisit({ Visit: { ...visit, start: 5 } })).toBeNull();
    expect(refusedVisit({ Visit: { ...visit, zone_names: 'Eastern Time' } })).toBeNull();
    // a reloaded expired link: the final state shows the visit with the API's expired text
    const expired = reduce(initialJoin, { type: 'refused', status: 410, code: 'LINK_EXPIRED', message: 'expired words', info: visit });
    expect(expired).toEqual({ phase: 'final', reason: 'expired', code: 'LINK_EXPIRED', message: 'expired words', info: visit });
    // an unknown link shows nothing of any visit, whatever its body says
    expect(reduce(initialJoin, { type: 'refused', status: 404, code: 'INVALID_LINK', message: 'x', info: visit })).toMatchObject({ info: null });
  });

  it('test_r16_join_waits_for_the_caregiver_then_joins_when_they_arrive', () => {
    const waiting = reduce(checked, { type: 'join' }, { type: 'wait' });
    expect(waiting).toMatchObject({ phase: 'waiting', inMeeting: false, previewing: true });
    expect(shouldJoin(waiting)).toBe(false);
    const arrived = reduce(waiting, { type: 'link', info: view({ caregiver_present: true, state: 'active' }) });
    expect(shouldJoin(arrived)).toBe(true);
    const joining = reduce(arrived, { type: 'join' });
    expect(joining.phase).toBe('joining');
    expect(shouldJoin(joining)).toBe(false);
  });

  it('a busy video service shows connecting while the page asks again, then the call starts (issue 16)', () => {
    const joining = reduce(checked, { type: 'join' });
    expect(joining).toMatchObject({ phase: 'joining', previewing: true });
    expect(joining.phase === 'joining' && joining.connecting).toBeFalsy();
    const connecting = reduce(joining, { type: 'connecting' });
    expect(connecting).toMatchObject({ phase: 'joining', previewing: true, connecting: true });
    // the preview stays the client's while it waits; the join goes through when the service lets it in
    expect(holdsPreview(connecting)).toBe(true);
    expect(reduce(connecting, { type: 'started', join: joinAnswer(true) })).toMatchObject({ phase: 'waiting', inMeeting: true });
    // "connecting" means nothing outside a join
    expect(reduce(checked, { type: 'connecting' })).toBe(checked);
    // the page gave up after its patience: back to the device check, with the API's words
    expect(reduce(connecting, { type: 'join-failed', message: 'busy' })).toMatchObject({ phase: 'ready', error: 'busy' });
  });

  it('test_r19_in_the_call_the_client_can_hang_up_and_rejoin', () => {
    const inCall = reduce(checked, { type: 'join' }, { type: 'started', join: joinAnswer(false) }, { type: 'peer', present: true });
    expect(inCall.phase).toBe('in-call');
    expect(caregiverAwaited(inCall)).toBe(false);
    expect(reduce(inCall, { type: 'peer', present: false })).toMatchObject({ phase: 'waiting', inMeeting: true });
    const left = reduce(inCall, { type: 'hung-up' });
    expect(left.phase).toBe('left');
    expect(reduce(left, { type: 'join' })).toMatchObject({ phase: 'joining', previewing: false });
  });

  it('devices refused on a rejoin go back to the device check with its guidance', () => {
    const left = reduce(checked, { type: 'join' }, { type: 'started', join: joinAnswer(false) }, { type: 'hung-up' });
    expect(reduce(left, { type: 'join' }, { type: 'devices-blocked', problem: 'blocked' })).toMatchObject({
      phase: 'ready',
      check: { step: 'blocked', problem: 'blocked' },
    });
  });

  it('a meeting gone waits for the API’s word before joining again', () => {
    const inCall = reduce(checked, { type: 'join' }, { type: 'started', join: joinAnswer(false) }, { type: 'link', info: view({ caregiver_present: true }) });
    const gone = reduce(inCall, { type: 'meeting-gone' });
    expect(gone).toMatchObject({ phase: 'waiting', inMeeting: false });
    expect(shouldJoin(gone)).toBe(false);
    expect(shouldJoin(reduce(gone, { type: 'link', info: view({ caregiver_present: true }) }))).toBe(true);
    expect(reduce(gone, { type: 'link', info: view({ state: 'over' }) })).toMatchObject({ phase: 'final', reason: 'over' });
  });

  it('the device check’s camera is held only while its preview is shown', () => {
    expect(holdsPreview(checked)).toBe(true);
    expect(holdsPreview(reduce(checked, { type: 'join' }))).toBe(true);
    expect(holdsPreview(reduce(checked, { type: 'join' }, { type: 'started', join: joinAnswer(false) }))).toBe(false);
    expect(holdsPreview(reduce(checked, { type: 'refused', status: 404, code: 'INVALID_LINK', message: 'x' }))).toBe(false);
    // a busy service while joining keeps the preview for the next try
    expect(holdsPreview(reduce(checked, { type: 'join' }, { type: 'join-failed', message: 'busy' }))).toBe(true);
  });

  it('the page asks the API at the pace its state needs', () => {
    expect(pollMs(initialJoin)).toBeNull();
    expect(pollMs(ready)).toBe(IDLE_POLL_MS);
    expect(pollMs(reduce(checked, { type: 'join' }))).toBeNull();
    expect(pollMs(reduce(checked, { type: 'join' }, { type: 'wait' }))).toBe(STATE_POLL_MS);
    const inMeeting = reduce(checked, { type: 'join' }, { type: 'started', join: joinAnswer(false) });
    expect(pollMs(inMeeting)).toBe(STATE_POLL_MS);
    expect(pollMs(reduce(inMeeting, connected))).toBeNull();
    expect(pollMs(reduce(inMeeting, connected, { type: 'hung-up' }))).toBe(IDLE_POLL_MS);
    expect(pollMs(reduce(initialJoin, { type: 'link', info: view({ state: 'over' }) }))).toBeNull();
  });

  it('an unreachable API on the first look can be tried again; later failures keep the page', () => {
    const failed = reduce(initialJoin, { type: 'failed', message: 'offline' });
    expect(failed).toEqual({ phase: 'failed', message: 'offline' });
    expect(reduce(failed, { type: 'retry' })).toBe(initialJoin);
    expect(reduce(ready, { type: 'failed', message: 'offline' })).toBe(ready);
  });

  it('test_r43_a_close_the_browser_refuses_is_said_in_words', () => {
    const over = reduce(initialJoin, { type: 'link', info: view({ state: 'over' }) });
    expect(reduce(over, { type: 'close-refused' })).toMatchObject({ phase: 'final', closeRefused: true });
  });
});
