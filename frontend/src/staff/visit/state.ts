/**
 * The visit dialog as one state and the events that change it (pure: tested in state.test.ts).
 *
 *   loading ──loaded──▶ ready ──(actions: clock in/out, invite, copy, join, notes)──▶ ready
 *      └──load failed──▶ failed          │ ▲
 *                                        │ └── session (the refresher's look at the API)
 *                                        └──── call (the call window's word, R41)
 *
 * While the visit's call window is open it tells the dialog the call's phase on the call channel, and the
 * dialog shows that instead of asking the API (R41). What the dialog offers follows from the state: an
 * action that can no longer succeed (invite, copy, join after the session is over or expired, or after
 * clock-out) is not offered (R43).
 */
import type { SessionStatus, TimelineEntry, Visit } from '../../api/types';
import { STALE_MS } from '../../callChannel';
import type { CallNews, CallPhase } from '../../callChannel';

/** While the dialog is open and in view and no call window speaks for the session, it looks this often. */
export const REFRESH_MS = 3000;
/** R13: the link, and with it every invite and join, ends 15 minutes after the visit's scheduled end. */
export const LINK_GRACE_MS = 15 * 60 * 1000;

export type Action = 'clock-in' | 'clock-out' | 'invite' | 'copy' | 'notes';
export type Feedback = 'invite-sent' | 'link-copied' | 'notes-saved' | 'call-opened';

export interface CallFollow {
  phase: CallPhase;
  /** When the window last spoke (ms, the page's clock). */
  at: number;
  final?: { reason: string; message: string };
}

export interface DialogState {
  load: 'loading' | 'ready' | 'failed';
  visit: Visit | null;
  serviceName: string | null;
  call: CallFollow | null;
  busy: Action | null;
  feedback: Feedback | null;
  /** The join link to copy by hand, when the clipboard was refused. */
  copyFallback: string | null;
  error: string | null;
  /** The clock-out's warning (R22), as the API wrote it. */
  warning: string | null;
  /** The visit's timeline (R26), read when the caregiver opens it. */
  timeline: { entries: TimelineEntry[] | null; error: string | null } | null;
}

export type DialogEvent =
  | { type: 'loaded'; visit: Visit; serviceName: string | null }
  | { type: 'load-failed'; message: string }
  | { type: 'session'; session: SessionStatus }
  | { type: 'busy'; action: Action }
  | { type: 'clocked'; visit: Visit; warning: string | null }
  | { type: 'invited'; session: SessionStatus; feedback: 'invite-sent' | 'link-copied'; fallback: string | null }
  | { type: 'notes-saved' }
  | { type: 'failed'; message: string }
  | { type: 'call-opening'; at: number }
  | { type: 'popup-blocked'; message: string }
  | { type: 'call'; news: CallNews; at: number }
  | { type: 'call-closed' }
  | { type: 'timeline-opened' }
  | { type: 'timeline'; entries: TimelineEntry[] }
  | { type: 'timeline-failed'; message: string };

export const initialDialog: DialogState = {
  load: 'loading',
  visit: null,
  serviceName: null,
  call: null,
  busy: null,
  feedback: null,
  copyFallback: null,
  error: null,
  warning: null,
  timeline: null,
};

function withSession(state: DialogState, session: SessionStatus): DialogState {
  return state.visit ? { ...state, visit: { ...state.visit, session } } : state;
}

/** The session as the call window's final word leaves it: over or expired, with no API request (R41). */
function endedByCall(session: SessionStatus, final: CallFollow['final']): SessionStatus {
  if (final?.reason === 'over') return { ...session, state: 'over', client_present: false, employee_present: false };
  if (final?.reason === 'expired') return { ...session, state: 'expired', client_present: false, employee_present: false };
  return session;
}

export function reduceDialog(state: DialogState, event: DialogEvent): DialogState {
  const quiet = { busy: null, feedback: null, error: null };
  switch (event.type) {
    case 'loaded':
      return { ...state, load: 'ready', visit: event.visit, serviceName: event.serviceName };
    case 'load-failed':
      return { ...state, load: 'failed', error: event.message };
    case 'session':
      return withSession(state, event.session);
    case 'busy':
      return { ...state, ...quiet, busy: event.action, copyFallback: event.action === 'copy' ? null : state.copyFallback };
    case 'clocked':
      return { ...state, ...quiet, visit: event.visit, warning: event.warning };
    case 'invited':
      return { ...withSession(state, event.session), ...quiet, feedback: event.feedback, copyFallback: event.fallback };
    case 'notes-saved':
      return { ...state, ...quiet, feedback: 'notes-saved' };
    case 'failed':
      return { ...state, ...quiet, error: event.message };
    case 'call-opening':
      return { ...state, ...quiet, call: { phase: 'checking', at: event.at } };
    case 'popup-blocked':
      return { ...state, ...quiet, error: event.message };
    case 'call': {
      const { phase, final } = event.news;
      const next: DialogState = { ...state, call: { phase, at: event.at, final } };
      if (phase !== 'final') return next;
      // A refused join shows the API's Message here too (R11, R12, R13, R23), once: when the window this dialog
      // follows turns final (not at each repeat, nor from an old window a newly opened dialog hears).
      const turned = state.call !== null && state.call.phase !== 'final';
      const refusal = final && final.reason !== 'over' && final.reason !== 'expired' ? final.message : null;
      const error = turned && refusal ? refusal : state.error;
      const session = state.visit?.session;
      return { ...(session ? withSession(next, endedByCall(session, final)) : next), error };
    }
    case 'call-closed':
      return { ...state, call: null };
    case 'timeline-opened':
      return { ...state, timeline: { entries: null, error: null } };
    case 'timeline':
      return { ...state, timeline: { entries: event.entries, error: null } };
    case 'timeline-failed':
      return { ...state, timeline: { entries: null, error: event.message } };
  }
}

/** A call window is speaking for the session: it spoke lately and has not ended. */
export function following(state: DialogState, now: number): boolean {
  return state.call !== null && state.call.phase !== 'final' && now - state.call.at < STALE_MS;
}

/** The session's state as the dialog shows it. */
export function sessionState(state: DialogState): SessionStatus['state'] {
  return state.visit?.session.state ?? 'none';
}

export interface Offered {
  invite: 'send' | 'resend' | null;
  /** "Send invite by text message" (R28): the client has a mobile number, agreed to texts and has not opted out. */
  text: boolean;
  /** "Send invite by email", beside a resend that goes by text. */
  email: boolean;
  copy: boolean;
  join: boolean;
  clockIn: boolean;
  clockOut: boolean;
}

/** What the dialog offers: only actions that can still succeed (R43). */
export function offered(state: DialogState, now: number): Offered {
  const visit = state.visit;
  if (!visit) return { invite: null, text: false, email: false, copy: false, join: false, clockIn: false, clockOut: false };
  const session = visit.session.state;
  const linkOver = now >= new Date(visit.end).getTime() + LINK_GRACE_MS;
  // A cancelled visit takes no invite, clock-in or join (R34); a caregiver already clocked in still clocks out.
  const open = visit.virtual && session !== 'over' && session !== 'expired' && !linkOver && !visit.clock_out_at && !visit.cancelled;
  const invite = open ? (visit.session.last_invite_sent_at ? 'resend' : 'send') : null;
  const lastByText = visit.session.last_invite_channel === 'sms';
  return {
    invite,
    text: invite !== null && textable(visit) && !(invite === 'resend' && lastByText),
    email: invite === 'resend' && lastByText && visit.client.has_email,
    copy: open,
    join: open,
    clockIn: !visit.clock_in_at && !visit.clock_out_at && !visit.cancelled,
    clockOut: Boolean(visit.clock_in_at) && !visit.clock_out_at,
  };
}

/** Whether a text invite can reach the client (R28, R29). */
export function textable(visit: Visit): boolean {
  const client = visit.client;
  return client.has_mobile && client.sms_consent && client.sms_status !== 'opted_out';
}

/** Why a client with a mobile number cannot be texted, as the API would refuse it (R28, R29); null when they can. */
export function textRefusal(visit: Visit): 'no-consent' | 'opted-out' | null {
  const client = visit.client;
  if (!client.has_mobile) return null;
  if (client.sms_status === 'opted_out') return 'opted-out';
  return client.sms_consent ? null : 'no-consent';
}

/** How often the refresher looks at the session (null: not at all). */
export function refreshMs(state: DialogState, now: number, hidden: boolean): number | null {
  const session = sessionState(state);
  if (state.load !== 'ready' || !state.visit?.virtual || hidden) return null;
  if (session === 'over' || session === 'expired') return null; // final (R23): nothing left to look for
  return following(state, now) ? null : REFRESH_MS;
}

/** The lines that say where the session is: the call window's word while it speaks (R41), else the API's. */
export interface StatusTexts {
  sessionState: Record<SessionStatus['state'], string>;
  lastInviteSentAt(time: string): string;
  lastInviteSentByText(time: string): string;
  clientInCall: string;
  clientNotYetJoined: string;
  clientLeftCall: string;
  callWindowStarting: string;
  youAreInCall: string;
  clientWaiting: string;
}

export function statusLines(state: DialogState, now: number, texts: StatusTexts, time: (iso: string) => string): string[] {
  const session = state.visit?.session;
  if (!session) return [];
  const lines: string[] = [];
  if (following(state, now) && state.call) {
    const phase = state.call.phase;
    if (phase === 'checking') lines.push(texts.callWindowStarting);
    else {
      lines.push(texts.sessionState.active);
      lines.push(phase === 'in-call' ? texts.clientInCall : phase === 'left' ? texts.clientLeftCall : texts.clientNotYetJoined);
    }
  } else {
    lines.push(texts.sessionState[session.state]);
    const open = session.state === 'invited' || session.state === 'active';
    // R35: the client waits on the join page or in the call, and the caregiver is not in it.
    if (open && session.client_waiting) lines.push(texts.clientWaiting);
    else if (open && session.client_present && session.employee_present) lines.push(texts.clientInCall);
    else if (open && session.employee_present) lines.push(texts.youAreInCall);
  }
  if (session.last_invite_sent_at) {
    const at = time(session.last_invite_sent_at);
    lines.push(session.last_invite_channel === 'sms' ? texts.lastInviteSentByText(at) : texts.lastInviteSentAt(at));
  }
  return lines;
}

/** The phase to put on the status line for tests and styles: the call's while it speaks, else the session's. */
export function statusKey(state: DialogState, now: number): string {
  return following(state, now) && state.call ? `call-${state.call.phase}` : sessionState(state);
}
