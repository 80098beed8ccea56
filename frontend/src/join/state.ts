/**
 * The client's join page as one state and the events that change it (pure: tested in state.test.ts).
 *
 *   checking ──link──▶ ready ──join──▶ joining ──started──▶ waiting ◀──peer──▶ in call
 *      │                 ▲  (device check)  │ waiting for                │           │
 *      │                 └── blocked ◀──────┤ the caregiver ─▶ waiting   │ hang up   │ meeting gone
 *      ▼                                    ▼                            ▼           ▼
 *    failed (Try again)            final ◀── over, expired, invalid    left ──rejoin──▶ joining
 *
 * While `joining`, a busy video service (503 VIDEO_BUSY at the top of the hour) sets `connecting`: the page
 * says it is connecting and asks again by itself (media/patience.ts), rather than showing an error.
 *
 * The device check is offered only once the API said the link is good and the session open, and a
 * refused join never opens a camera (R42). Every final state keeps what the API told of the visit, so a
 * reloaded link whose session is over still shows the agency, the caregiver and the time (R44).
 */
import type { ClientView, ClientVisit } from '../api/types';
import type { DeviceProblem } from '../media/devices';
import type { RunnerEvent } from '../media/runner';
import type { ClientTexts } from '../texts/client';
import { initialStage, reduceStage } from '../ui/stageState';
import type { StageState } from '../ui/stageState';

/**
 * How often the page asks the API what to show: fast while the client pressed Join and the media is not
 * connected (waiting for the caregiver: they join the moment the caregiver is in; or reconnecting); slow
 * while the page only shows whether the caregiver is in; not at all while the media session is connected,
 * since it reports the caregiver's presence and the end itself (docs/PERFORMANCE.md §5).
 */
export const STATE_POLL_MS = 3000;
export const IDLE_POLL_MS = 10000;

export type Check = { step: 'idle' } | { step: 'asking' } | { step: 'blocked'; problem: DeviceProblem } | { step: 'ready' };
export type FinalReason = 'over' | 'expired' | 'invalid' | 'refused';

export type JoinState =
  | { phase: 'checking' }
  | { phase: 'failed'; message: string }
  | { phase: 'ready'; info: ClientView; check: Check; error: string | null }
  | { phase: 'joining'; info: ClientView; previewing: boolean; connecting?: boolean }
  | { phase: 'waiting'; info: ClientView; previewing: boolean; inMeeting: boolean; stage: StageState }
  | { phase: 'in-call'; info: ClientView; stage: StageState }
  | { phase: 'left'; info: ClientView }
  /** `code` is the refusal's (the API's Code, or the page's own for the same case): the page says it in its
   *  current language (`refusalText`); `message` is what to say when it has no words of its own for it. */
  | { phase: 'final'; reason: FinalReason; code: string | null; message: string; info: ClientVisit | null; closeRefused?: boolean };

/** The call runner's events (devices blocked, started, peer, stage, meeting gone) and the page's own. */
export type JoinEvent =
  | RunnerEvent
  | { type: 'link'; info: ClientView }
  | { type: 'refused'; status: number; code: string; message: string; info?: ClientVisit | null }
  | { type: 'failed'; message: string }
  | { type: 'retry' }
  | { type: 'check-start' }
  | { type: 'check-ok' }
  | { type: 'join' }
  | { type: 'join-failed'; message: string }
  | { type: 'connecting' }
  | { type: 'wait' }
  | { type: 'hung-up' }
  | { type: 'close-refused' };

export const initialJoin: JoinState = { phase: 'checking' };

/** The link's token from the address's fragment, or null for anything that cannot be one (R10, R45). */
export function linkToken(hash: string): string | null {
  let token: string;
  try {
    token = decodeURIComponent(hash.replace(/^#/, ''));
  } catch {
    return null; // "#abc%": not even a fragment a link of ours could have
  }
  return /^[A-Za-z0-9_-]{1,200}$/.test(token) ? token : null;
}

function infoOf(state: JoinState): ClientVisit | null {
  return 'info' in state ? state.info : null;
}

/** What the API told of the link, in a state that is not final. */
function viewOf(state: JoinState): ClientView | null {
  return 'info' in state && state.phase !== 'final' ? state.info : null;
}

/**
 * The visit an expired link's refusal carries (`Visit`: R44), so a reloaded expired link still shows the
 * agency, the caregiver and the time; null when the body has none, or not all of it as text.
 */
export function refusedVisit(body: Record<string, unknown>): ClientVisit | null {
  const visit = body.Visit;
  if (visit === null || typeof visit !== 'object') return null;
  const { agency_name, caregiver_first_name, start, end, time_zone, zone_names } = visit as Record<string, unknown>;
  const text = (value: unknown): value is string => typeof value === 'string';
  if (!text(agency_name) || !text(caregiver_first_name) || !text(start) || !text(end) || !text(time_zone)) return null;
  // The zone as the client's email names it, in each language (R44); the page falls back to Intl's name without it.
  if (zone_names === null || typeof zone_names !== 'object' || !Object.values(zone_names).every(text)) return null;
  return { agency_name, caregiver_first_name, start, end, time_zone, zone_names: zone_names as ClientVisit['zone_names'] };
}

function previewing(state: JoinState): boolean {
  if (state.phase === 'ready') return state.check.step === 'ready';
  return (state.phase === 'joining' || state.phase === 'waiting') && state.previewing;
}

/**
 * A refusal from either of the API's client routes, as a state (R10, R13, R20, R23, R43). An expired link's
 * refusal carries its visit (R44); a final state keeps what the page knew of the visit otherwise.
 */
function refusal(state: JoinState, event: Extract<JoinEvent, { type: 'refused' }>, texts: ClientTexts): JoinState {
  const info = event.info ?? infoOf(state);
  const code = event.code;
  if (event.status === 404) return { phase: 'final', reason: 'invalid', code, message: event.message, info: null };
  if (event.status === 400) return { phase: 'final', reason: 'invalid', code: 'INVALID_LINK', message: texts.linkInvalid, info: null };
  if (event.status === 410) return { phase: 'final', reason: 'expired', code, message: event.message, info };
  if (code === 'SESSION_OVER') return { phase: 'final', reason: 'over', code, message: texts.caregiverEnded, info };
  if (event.status === 409 || event.status === 403) return { phase: 'final', reason: 'refused', code, message: event.message, info };
  // Anything else (the service is busy or failing) is not about the link: the page stays and can try again.
  const view = viewOf(state);
  return view ? { phase: 'ready', info: view, check: { step: 'idle' }, error: event.message } : { phase: 'failed', message: event.message };
}

/** What the API says of the link: over and expired are final (with the visit kept); otherwise the news. */
function withLink(state: JoinState, info: ClientView, texts: ClientTexts): JoinState {
  const view: string = info.state;
  if (view === 'over') return { phase: 'final', reason: 'over', code: 'SESSION_OVER', message: texts.caregiverEnded, info };
  // Ready for an API that keeps telling of an expired link (the page then keeps showing the visit).
  if (view === 'expired') return { phase: 'final', reason: 'expired', code: 'LINK_EXPIRED', message: texts.linkExpired, info };
  if (state.phase === 'checking') return { phase: 'ready', info, check: { step: 'idle' }, error: null };
  return 'info' in state ? ({ ...state, info } as JoinState) : state;
}

export function reduceJoin(state: JoinState, event: JoinEvent, texts: ClientTexts): JoinState {
  if (state.phase === 'final') return event.type === 'close-refused' ? { ...state, closeRefused: true } : state;
  switch (event.type) {
    case 'link':
      return withLink(state, event.info, texts);
    case 'refused':
      return refusal(state, event, texts);
    case 'failed':
      return state.phase === 'checking' ? { phase: 'failed', message: event.message } : state;
    case 'retry':
      return state.phase === 'failed' ? initialJoin : state;
    case 'check-start':
    case 'check-ok':
    case 'devices-blocked':
      if (state.phase !== 'ready' && state.phase !== 'joining' && state.phase !== 'left') return state;
      return { phase: 'ready', info: state.info, error: null, check: checkStep(event) };
    case 'join':
      if (state.phase !== 'ready' && state.phase !== 'left' && !(state.phase === 'waiting' && !state.inMeeting)) return state;
      return { phase: 'joining', info: state.info, previewing: previewing(state) };
    case 'connecting':
      // The video service is busy (many visits start at once): the page says so and asks again by itself.
      return state.phase === 'joining' ? { ...state, connecting: true } : state;
    case 'join-failed':
      if (state.phase !== 'joining') return state;
      return { phase: 'ready', info: state.info, check: state.previewing ? { step: 'ready' } : { step: 'idle' }, error: event.message };
    case 'wait':
      if (state.phase !== 'joining') return state;
      return { phase: 'waiting', info: state.info, previewing: state.previewing, inMeeting: false, stage: initialStage };
    case 'started':
      if (state.phase !== 'joining') return state;
      return { phase: 'waiting', info: state.info, previewing: false, inMeeting: true, stage: initialStage };
    case 'peer':
      if (state.phase === 'waiting' && state.inMeeting && event.present) return { phase: 'in-call', info: state.info, stage: state.stage };
      if (state.phase === 'in-call' && !event.present) return { ...state, phase: 'waiting', previewing: false, inMeeting: true };
      return state;
    case 'stage':
      if (state.phase === 'in-call' || (state.phase === 'waiting' && state.inMeeting)) return { ...state, stage: reduceStage(state.stage, event.event) };
      return state;
    case 'meeting-gone': {
      if (state.phase !== 'in-call' && state.phase !== 'waiting') return state;
      // Whether the caregiver is still there is the API's to say (the page looks at once): until then, not.
      const info: ClientView = { ...state.info, caregiver_present: false, state: 'invited' };
      return { phase: 'waiting', info, previewing: false, inMeeting: false, stage: initialStage };
    }
    case 'hung-up':
      if (state.phase !== 'in-call' && state.phase !== 'waiting' && state.phase !== 'joining') return state;
      return { phase: 'left', info: state.info };
    case 'allowed': // the join page acts on it outside its state: the runner now holds the devices
    case 'close-refused':
      return state;
  }
}

function checkStep(event: Extract<JoinEvent, { type: 'check-start' | 'check-ok' | 'devices-blocked' }>): Check {
  if (event.type === 'check-start') return { step: 'asking' };
  if (event.type === 'check-ok') return { step: 'ready' };
  return { step: 'blocked', problem: event.problem };
}

/** How often to ask the API about the link in this state (null: not at all). */
export function pollMs(state: JoinState): number | null {
  switch (state.phase) {
    case 'ready':
    case 'left':
      return IDLE_POLL_MS;
    case 'waiting':
    case 'in-call':
      // Pressed Join and waiting, or in the meeting with the media not (yet, or no longer) connected.
      if (state.phase === 'waiting' && !state.inMeeting) return STATE_POLL_MS;
      return state.stage.connection === 'connected' ? null : STATE_POLL_MS;
    default:
      return null;
  }
}

/** Waiting for the caregiver to be let in, and the API says they are there: join now. */
export function shouldJoin(state: JoinState): boolean {
  return state.phase === 'waiting' && !state.inMeeting && (state.info.caregiver_present || state.info.state === 'active');
}

/** "Your caregiver will join shortly." (R16): before the caregiver is there, and while the call waits for them. */
export function caregiverAwaited(state: JoinState): boolean {
  if (state.phase === 'ready') return !state.info.caregiver_present;
  return state.phase === 'joining' || state.phase === 'waiting';
}

/** The camera and microphone the page holds for the device check, to be released when the page leaves it. */
export function holdsPreview(state: JoinState): boolean {
  return previewing(state);
}
