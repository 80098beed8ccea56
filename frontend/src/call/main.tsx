/**
 * The caregiver's call window (/call?visit=<id>), opened by "Join video session" (R14). Its state is
 * state.ts's; this file turns what happens (the API's answers, the runner's events, a click) into events
 * and does what a state asks for: joining through the call runner (the API first, then the devices: R42),
 * looking at the session while the media cannot tell (SESSION_POLL_MS), and telling the visit dialog the
 * call's phase on the call channel (R41). Closing the window ends nothing (R24).
 */
import '../styles/base.css';
import '../styles/call.css';
import { render } from 'preact';
import { ApiError, api, errorText } from '../api/client';
import { getToken } from '../auth';
import { HEARTBEAT_MS, openCallChannel } from '../callChannel';
import type { CallNews } from '../callChannel';
import { knownZone, readerLocale } from '../format';
import { patiently } from '../media/patience';
import { CallRunner, createMediaElements } from '../media/runner';
import type { RunnerEvent } from '../media/runner';
import { createPoller } from '../poller';
import { createStore } from '../store';
import { Guard } from '../ui/Guard';
import { clientTexts } from '../texts/client';
import { loadGuidance } from '../texts/guidance';
import type { Guidance } from '../texts/guidance';
import { t } from '../texts/staff';
import { initialCall, inMeeting, reduceCall, sessionPollMs } from './state';
import type { CallEvent, CallState } from './state';
import { CallView } from './view';
import type { CallActions } from './view';

const texts = clientTexts.en; // the stage and the camera guidance, in the caregiver's language
const visitId = new URLSearchParams(location.search).get('visit') ?? '';
const token = getToken();
const where = { path: { visit_id: visitId }, token };
/** The agency's zone for R15's time (from GET /api/me); the reader's locale (R44). */
let zone = 'UTC';
const locale = readerLocale();

const store = createStore<CallState, CallEvent>(initialCall, (state, event) => reduceCall(state, event, t), changed);
const dispatch = store.dispatch;
const runner = new CallRunner(
  {
    // A busy video service (top of the hour) is waited out, the window saying it is connecting (issue 16).
    join: () => patiently(() => api('post', '/api/visits/{visit_id}/session/join', where), () => dispatch({ type: 'connecting' })),
    leave: (unloading) => api('post', '/api/visits/{visit_id}/session/leave', { ...where, keepalive: unloading }),
  },
  onRunnerEvent,
  createMediaElements({ remote: t.remoteViewCaregiver, self: texts.selfView }),
);
const poller = createPoller(async () => dispatch({ type: 'status', status: await api('get', '/api/visits/{visit_id}/session', where) }));
const channel = openCallChannel((message) => {
  if (message.type === 'ask' && message.visitId === visitId) announce();
});

/** The phase the visit dialog shows (R41). */
function news(state: CallState): CallNews {
  if (state.phase === 'final') return { type: 'call', visitId, phase: 'final', final: { reason: state.reason, message: state.message } };
  return { type: 'call', visitId, phase: inMeeting(state) ? state.phase : 'checking' };
}

function announce(): void {
  if (visitId) channel.post(news(store.get()));
}

/** The camera guidance (R14), loaded once a browser blocked the devices. */
let guidance: Guidance | null = null;

function changed(state: CallState, previous: CallState): void {
  poller.pace(sessionPollMs(state));
  if (state.phase === 'blocked' && !guidance) {
    loadGuidance('en').then(
      (table) => {
        guidance = table;
        draw();
      },
      () => undefined,
    );
  }
  if (JSON.stringify(news(state)) !== JSON.stringify(news(previous))) announce();
  if (state.phase === 'final' && previous.phase !== 'final') void runner.leave({ tellApi: false });
}

/** The runner's events are the page's own (allowed, devices blocked, started, peer, stage, meeting gone). */
function onRunnerEvent(event: RunnerEvent): void {
  dispatch(event);
  if (event.type === 'started') poller.now();
  if (event.type === 'meeting-gone') void recheck();
}

async function join(): Promise<void> {
  try {
    await runner.join();
  } catch (err) {
    dispatch(err instanceof ApiError && err.status > 0 ? { type: 'refused', message: err.message } : { type: 'failed', message: errorText(err) });
  }
}

/**
 * The media says the meeting is gone. Hang-up, clock-out (R22) and expiry all delete it; the API says
 * which, so the right text shows. A meeting that ended with the session still open (Chime ends idle
 * meetings) is joined again, up to MAX_MEDIA_REJOINS times in a row: the API makes a new one for the session.
 */
async function recheck(): Promise<void> {
  try {
    dispatch({ type: 'status', status: await api('get', '/api/visits/{visit_id}/session', where) });
  } catch {
    // Unknown: the join tells.
  }
  if (store.get().phase === 'checking') await join();
}

const actions: CallActions = {
  retry() {
    dispatch({ type: 'retry' });
    void join();
  },
  async resend() {
    dispatch({ type: 'resend-start' });
    try {
      const result = await api('post', '/api/visits/{visit_id}/invite', { ...where, body: { delivery: 'resend' } }); // by the last sent invite's channel (R28)
      dispatch({ type: 'resend-done', status: result.session });
    } catch (err) {
      dispatch({ type: 'resend-failed', message: errorText(err) });
    }
  },
  control(intent) {
    const state = store.get();
    if (inMeeting(state)) void runner.control(intent, state.call.stage);
  },
  hangUp: () => dispatch({ type: 'hang-up' }),
  cancelHangUp: () => dispatch({ type: 'hang-up-cancel' }),
  async confirmHangUp() {
    dispatch({ type: 'hang-up-confirm' });
    try {
      dispatch({ type: 'status', status: await api('post', '/api/visits/{visit_id}/session/end', where) });
    } catch (err) {
      dispatch({ type: 'hang-up-failed', message: errorText(err) });
    }
  },
  backToVisit() {
    // The visit dialog is in the window that opened this one: bring it forward and go.
    const opener = window.opener as Window | null;
    if (opener && !opener.closed) {
      opener.focus();
      window.close();
    } else {
      location.assign('/');
    }
  },
  close: () => window.close(),
};

function draw(): void {
  render(
    <Guard text={texts.genericError}>
      <CallView state={store.get()} zone={zone} locale={locale} texts={texts} guidance={guidance} elements={runner.elements} actions={actions} />
    </Guard>,
    document.getElementById('app') as HTMLElement,
  );
}

async function start(): Promise<void> {
  if (!visitId) return dispatch({ type: 'missing', what: 'visit' });
  if (!token) return dispatch({ type: 'missing', what: 'sign-in' });
  announce();
  window.setInterval(announce, HEARTBEAT_MS);
  window.addEventListener('pagehide', () => channel.post({ type: 'closed', visitId }));
  void api('get', '/api/me', { token })
    .then((me) => {
      zone = knownZone(me.time_zone);
      draw();
    })
    .catch(() => undefined);
  await join();
}

store.subscribe(draw);
draw();
void start();
