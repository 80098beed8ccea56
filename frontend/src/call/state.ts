/**
 * The caregiver's call window as one state and the events that change it (pure: tested in state.test.ts).
 *
 *   checking ──allowed──▶ devices ──started──▶ waiting ◀──▶ in call ──peer gone──▶ left
 *      │  ▲                  │                    └────────────┴──────────────────────┘
 *      │  └──── retry ─── blocked                                │ meeting gone
 *      │                                                          ▼
 *      └──refused / failed / over / expired──▶ final ◀── hang-up, over, expired, video lost
 *
 * `checking` asks the API (the first join, and again when the meeting went away); no camera is asked
 * for before the API allowed the join (R42). While the video service is busy (503 VIDEO_BUSY at the top of
 * the hour) `checking` is `connecting`: the window says so and asks again by itself (media/patience.ts). Every final state says why and offers the next step (R43).
 */
import type { SessionStatus } from '../api/types';
import type { DeviceProblem } from '../media/devices';
import type { RunnerEvent } from '../media/runner';
import { initialStage, reduceStage } from '../ui/stageState';
import type { StageState } from '../ui/stageState';

/** Automatic rejoins when the media says the meeting is gone but the API says the session is still open. */
export const MAX_MEDIA_REJOINS = 2;
/** While the media is not connected, the window looks at the session this often (docs/PERFORMANCE.md §5). */
export const SESSION_POLL_MS = 3000;

export type FinalReason = 'over' | 'expired' | 'refused' | 'failed' | 'video-lost' | 'no-visit' | 'signed-out';
export type Presence = 'waiting' | 'in-call' | 'left';
export type NextStep = 'back-to-visit' | 'close' | 'retry' | 'staff-app';

export interface InCall {
  lastInviteSentAt: string | null;
  stage: StageState;
  resend: 'idle' | 'sending' | 'sent';
  /** The R20 confirmation: closed, open, or the hang-up on its way. */
  confirm: 'closed' | 'open' | 'ending';
  error: string | null;
  rejoins: number;
}

export type CallState =
  | { phase: 'checking'; rejoins: number; lastInviteSentAt: string | null; connecting?: boolean }
  | { phase: 'devices'; rejoins: number; lastInviteSentAt: string | null }
  | { phase: 'blocked'; problem: DeviceProblem; lastInviteSentAt: string | null }
  | { phase: Presence; call: InCall }
  | { phase: 'final'; reason: FinalReason; message: string };

/** The call runner's events (allowed, devices blocked, started, peer, stage, meeting gone) and the window's own. */
export type CallEvent =
  | RunnerEvent
  | { type: 'refused'; message: string }
  | { type: 'failed'; message: string }
  | { type: 'retry' }
  | { type: 'status'; status: SessionStatus }
  | { type: 'resend-start' }
  | { type: 'resend-done'; status: SessionStatus }
  | { type: 'resend-failed'; message: string }
  | { type: 'hang-up' }
  | { type: 'hang-up-cancel' }
  | { type: 'hang-up-confirm' }
  | { type: 'hang-up-failed'; message: string }
  | { type: 'missing'; what: 'visit' | 'sign-in' }
  | { type: 'connecting' };

/** The texts of the final states the window words itself (a refusal shows the API's Message). */
export interface FinalTexts {
  sessionOverEmployee: string;
  sessionExpiredEmployee: string;
  videoLost: string;
  noVisit: string;
  notSignedIn: string;
}

export const initialCall: CallState = { phase: 'checking', rejoins: 0, lastInviteSentAt: null };

export function inMeeting(state: CallState): state is Extract<CallState, { phase: Presence }> {
  return state.phase === 'waiting' || state.phase === 'in-call' || state.phase === 'left';
}

function final(reason: FinalReason, message: string): CallState {
  return { phase: 'final', reason, message };
}

function lastInvite(state: CallState): string | null {
  if (inMeeting(state)) return state.call.lastInviteSentAt;
  return 'lastInviteSentAt' in state ? state.lastInviteSentAt : null;
}

export function reduceCall(state: CallState, event: CallEvent, texts: FinalTexts): CallState {
  if (state.phase === 'final') {
    // Final is final, a late event changes nothing; only an unreachable API may be tried again.
    return event.type === 'retry' && state.reason === 'failed' ? initialCall : state;
  }
  switch (event.type) {
    case 'missing':
      return event.what === 'visit' ? final('no-visit', texts.noVisit) : final('signed-out', texts.notSignedIn);
    case 'connecting':
      // The video service is busy (many visits start at once): the window says so and asks again by itself.
      return state.phase === 'checking' ? { ...state, connecting: true } : state;
    case 'allowed':
      return state.phase === 'checking' ? { phase: 'devices', rejoins: state.rejoins, lastInviteSentAt: state.lastInviteSentAt } : state;
    case 'refused':
      return final('refused', event.message);
    case 'failed':
      return final('failed', event.message);
    case 'devices-blocked':
      return { phase: 'blocked', problem: event.problem, lastInviteSentAt: lastInvite(state) };
    case 'retry':
      return state.phase === 'blocked' ? { phase: 'checking', rejoins: 0, lastInviteSentAt: state.lastInviteSentAt } : state;
    case 'started': {
      const rejoins = state.phase === 'devices' || state.phase === 'checking' ? state.rejoins : 0;
      const call: InCall = {
        lastInviteSentAt: lastInvite(state),
        stage: initialStage,
        resend: 'idle',
        confirm: 'closed',
        error: null,
        rejoins,
      };
      return { phase: event.join.client_present ? 'in-call' : 'waiting', call };
    }
    case 'status':
      return withStatus(state, event.status, texts);
    case 'meeting-gone':
      if (!inMeeting(state)) return state;
      return { phase: 'checking', rejoins: state.call.rejoins + 1, lastInviteSentAt: state.call.lastInviteSentAt };
    default:
      return inMeeting(state) ? reduceInCall(state, event) : state;
  }
}

/** What the API says of the session: the end and the expiry are final; an open one may be joined again. */
function withStatus(state: Exclude<CallState, { phase: 'final' }>, status: SessionStatus, texts: FinalTexts): CallState {
  if (status.state === 'over') return final('over', texts.sessionOverEmployee);
  if (status.state === 'expired') return final('expired', texts.sessionExpiredEmployee);
  if (inMeeting(state)) return { ...state, call: { ...state.call, lastInviteSentAt: status.last_invite_sent_at } };
  if (state.phase === 'checking' && state.rejoins > MAX_MEDIA_REJOINS) return final('video-lost', texts.videoLost);
  if (state.phase === 'checking') return { ...state, lastInviteSentAt: status.last_invite_sent_at };
  return state;
}

function reduceInCall(state: Extract<CallState, { phase: Presence }>, event: CallEvent): CallState {
  const call = state.call;
  const next = (changes: Partial<InCall>, phase: Presence = state.phase): CallState => ({ phase, call: { ...call, ...changes } });
  switch (event.type) {
    case 'peer':
      if (event.present) return next({}, 'in-call');
      return next({}, state.phase === 'in-call' ? 'left' : state.phase);
    case 'stage': {
      const stage = reduceStage(call.stage, event.event);
      // A connection that came up means the last rejoin worked.
      return next({ stage, rejoins: stage.connection === 'connected' ? 0 : call.rejoins });
    }
    case 'resend-start':
      return next({ resend: 'sending', error: null });
    case 'resend-done':
      return next({ resend: 'sent', lastInviteSentAt: event.status.last_invite_sent_at });
    case 'resend-failed':
      return next({ resend: 'idle', error: event.message });
    case 'hang-up':
      return next({ confirm: 'open', error: null });
    case 'hang-up-cancel':
      return call.confirm === 'open' ? next({ confirm: 'closed' }) : state;
    case 'hang-up-confirm':
      return next({ confirm: 'ending', error: null });
    case 'hang-up-failed':
      return next({ confirm: 'open', error: event.message });
    default:
      return state;
  }
}

/** How often to look at the session: only while in the meeting and the media is not connected. */
export function sessionPollMs(state: CallState): number | null {
  return inMeeting(state) && state.call.stage.connection !== 'connected' ? SESSION_POLL_MS : null;
}

/** The next steps a final state offers (R43). */
export function nextSteps(reason: FinalReason): NextStep[] {
  switch (reason) {
    case 'over':
      return ['close'];
    case 'failed':
      return ['retry', 'close'];
    case 'no-visit':
    case 'signed-out':
      return ['staff-app'];
    default:
      return ['back-to-visit', 'close'];
  }
}
