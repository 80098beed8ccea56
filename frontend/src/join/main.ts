/**
 * The client's join page (/join#<token>), phone first. It shows the agency name, the caregiver's
 * first name and the visit time, and nothing else (R16); checks camera and microphone before
 * joining; waits with "Your caregiver will join shortly."; runs the call with the four controls;
 * offers "Rejoin" after a hang-up (R19, R24); and shows the ended, expired and invalid-link texts.
 * The link token comes from the fragment and is only ever sent in POST bodies.
 */
import '../styles.css';
import { ApiError, apiRequest, errorText } from '../api';
import { byId, clear, h } from '../dom';
import { visitWhen } from '../format';
import { openCallSession, stopStream } from '../media/CallSession';
import type { CallSession } from '../media/CallSession';
import { t } from '../texts';
import type { ClientJoinInfo, JoinResponse } from '../types';
import { DeviceError, deviceProblemView, micLevelMeter, openDevices } from '../ui/devices';
import { exposeDiagnostics } from '../ui/diagnostics';
import { createStage } from '../ui/stage';

/**
 * How often the page asks the API what to show. Fast while the client pressed Join and waits for the
 * caregiver (they join the moment the caregiver is in); slow while the page only shows whether the
 * caregiver is in; not at all while the media session is connected, since it reports the caregiver's
 * presence and the end itself (docs/PERFORMANCE.md §5).
 */
const STATE_POLL_MS = 3000;
const IDLE_POLL_MS = 10000;
const token = decodeURIComponent(location.hash.replace(/^#/, ''));
const root = byId('app');

const info = h('section', { class: 'join-info', 'data-testid': 'join-info', hidden: true });
const waitingText = h('p', { class: 'waiting-text', role: 'status', hidden: true, 'data-testid': 'caregiver-waiting' }, t.caregiverWillJoin);
const panel = h('div', { class: 'panel', 'data-testid': 'join-panel' });
const stage = createStage({ remoteLabel: t.remoteViewClient, onHangUp: () => void hangUp() });
const callError = h('p', { class: 'error', role: 'alert' });
stage.status.append(callError);
stage.root.hidden = true;
const main = h('main', { class: 'join-main' }, info, waitingText, panel, stage.root);
root.append(main);

let session: CallSession | null = null;
let lastSession: CallSession | null = null;
let stream: MediaStream | null = null;
let stopMeter: () => void = () => undefined;
let inCall = false;
let finished = false;
let pollTimer = 0;
let waitingForCaregiver = false;
let mediaConnected = false;

exposeDiagnostics(() => session ?? lastSession);

function post<T>(path: string): Promise<T> {
  return apiRequest<T>('POST', path, { token });
}

function showPanel(...children: (Node | string)[]): void {
  clear(panel);
  panel.append(...children);
  panel.hidden = false;
}

function finalPage(text: string, testId: string): void {
  finished = true;
  window.clearTimeout(pollTimer);
  info.hidden = testId !== 'ended';
  waitingText.hidden = true;
  stage.root.hidden = true;
  main.classList.remove('in-call');
  stopMeter();
  stopStream(stream);
  stream = null;
  showPanel(h('p', { class: 'final-text', role: 'status', 'data-testid': testId }, text));
}

/** Leaves the call, if in one, without saying anything to the API. */
async function stopCall(): Promise<void> {
  const current = session;
  session = null;
  stage.bind(null);
  await current?.stop().catch(() => undefined);
  inCall = false;
}

async function ended(): Promise<void> {
  if (finished) return;
  await stopCall();
  finalPage(t.caregiverEnded, 'ended');
}

function renderInfo(details: ClientJoinInfo): void {
  clear(info);
  info.append(
    h('h1', {}, t.joinWith(details.agency_name)),
    h('p', { class: 'big' }, t.yourCaregiver(details.caregiver_first_name)),
    h('p', { class: 'big' }, t.visitTime(visitWhen(details.start, details.end, details.time_zone))),
  );
  info.hidden = false;
}

/** Asks the API what the page should show; returns null when the page has become a final page. */
async function fetchInfo(): Promise<ClientJoinInfo | null> {
  try {
    const details = await post<ClientJoinInfo>('/join');
    if (details.state === 'over') {
      await ended();
      return null;
    }
    if (details.state === 'expired') {
      finalPage(t.caregiverEnded, 'ended');
      return null;
    }
    return details;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 410)) {
      // R10, R13: the API's own words for an old, unknown or expired link.
      await stopCall();
      finalPage(err.message, err.status === 410 ? 'link-expired' : 'link-invalid');
      return null;
    }
    throw err;
  }
}

/** The next look at the API, at the pace the page's state needs. */
function schedulePoll(): void {
  window.clearTimeout(pollTimer);
  if (finished) return;
  const delay = waitingForCaregiver ? STATE_POLL_MS : IDLE_POLL_MS;
  pollTimer = window.setTimeout(() => void pollState().finally(schedulePoll), delay);
}

async function pollState(): Promise<void> {
  if (finished || (inCall && mediaConnected)) return;
  let details: ClientJoinInfo | null;
  try {
    details = await fetchInfo();
  } catch {
    return;
  }
  if (!details) return;
  const caregiverIn = details.caregiver_present ?? details.state === 'active';
  if (!inCall) waitingText.hidden = caregiverIn && !waitingForCaregiver;
  if (waitingForCaregiver && (caregiverIn || details.state === 'active')) void joinCall();
}

/** Step 1: the device check. */
async function deviceCheck(): Promise<void> {
  showPanel(h('p', { class: 'prompt', 'data-testid': 'device-prompt' }, t.devicePrompt));
  try {
    stream = await openDevices();
  } catch (err) {
    const problem = err instanceof DeviceError ? err.problem : 'other';
    showPanel(h('p', { class: 'prompt' }, t.devicePrompt), deviceProblemView(problem, () => void deviceCheck()));
    return;
  }
  const preview = h('video', { class: 'preview-video', autoplay: true, playsinline: true, muted: true, 'aria-label': t.selfView });
  preview.muted = true;
  preview.srcObject = stream;
  const meter = h('meter', { id: 'mic-level', min: '0', max: '1', value: '0', class: 'meter' });
  stopMeter = micLevelMeter(stream, meter);
  const join = h('button', { type: 'button', class: 'btn btn-primary btn-large', 'data-testid': 'join-button' }, t.join);
  join.addEventListener('click', () => {
    join.disabled = true;
    void joinCall();
  });
  showPanel(
    h('p', { role: 'status' }, t.devicesReady),
    preview,
    h('div', { class: 'field' }, h('label', { for: 'mic-level', class: 'label' }, t.micLevel), meter),
    join,
  );
  join.focus();
}

/** Step 2: join the meeting (or wait for the caregiver and join when they arrive). */
async function joinCall(): Promise<void> {
  if (inCall || finished) return;
  let join: JoinResponse;
  try {
    join = await post<JoinResponse>('/join/attendee');
  } catch (err) {
    if (err instanceof ApiError && err.code === 'WAITING_FOR_CAREGIVER') {
      waitingForCaregiver = true;
      waitingText.hidden = false;
      schedulePoll();
      return;
    }
    if (err instanceof ApiError && err.code === 'SESSION_OVER') return ended();
    if (err instanceof ApiError && (err.status === 404 || err.status === 410)) {
      return finalPage(err.message, err.status === 410 ? 'link-expired' : 'link-invalid');
    }
    showPanel(h('p', { class: 'error', role: 'alert' }, errorText(err)));
    return;
  }
  if (inCall || finished) return;
  inCall = true;
  waitingForCaregiver = false;
  stopMeter();
  panel.hidden = true;
  stage.root.hidden = false;
  main.classList.add('in-call'); // on a phone the call gets the whole screen
  waitingText.hidden = false; // until the caregiver's media arrives
  callError.textContent = '';
  if (!stream || stream.getTracks().every((track) => track.readyState !== 'live')) {
    try {
      stream = await openDevices();
    } catch (err) {
      inCall = false;
      stage.root.hidden = true;
      const problem = err instanceof DeviceError ? err.problem : 'other';
      showPanel(deviceProblemView(problem, () => void deviceCheck()));
      return;
    }
  }
  try {
    session = await openCallSession({
      join,
      stream,
      elements: { localVideo: stage.localVideo, remoteVideo: stage.remoteVideo, remoteAudio: stage.remoteAudio },
      events: {
        peerPresence: (present) => (waitingText.hidden = present),
        remoteVideo: (showing) => stage.setRemoteShowing(showing),
        connection: (state) => {
          mediaConnected = state === 'connected';
          stage.setConnection(state);
        },
        ended: () => void mediaEnded(),
      },
    });
    lastSession = session;
    stage.bind(session);
    await session.start();
  } catch (err) {
    callError.textContent = errorText(err);
  }
}

/**
 * The media says the meeting is gone: the caregiver hung up or clocked out, or the link expired, and
 * the API says which. A meeting that ended with the session still open (Chime ends idle meetings) is
 * waited for again: the page joins the new one as soon as the caregiver is back.
 */
async function mediaEnded(): Promise<void> {
  if (finished) return;
  mediaConnected = false;
  let details: ClientJoinInfo | null = null;
  try {
    details = await fetchInfo();
  } catch {
    // Unknown: treat it as a meeting to wait for; the poll tells.
  }
  if (finished) return;
  if (details) renderInfo(details);
  await stopCall();
  stage.root.hidden = true;
  main.classList.remove('in-call');
  waitingForCaregiver = true;
  waitingText.hidden = false;
  panel.hidden = true;
  schedulePoll();
}

/** The client hangs up: the session stays open and the same link can rejoin (R19). */
async function hangUp(): Promise<void> {
  if (!inCall) return;
  inCall = false;
  const current = session;
  session = null;
  stage.bind(null);
  await current?.stop().catch(() => undefined);
  stream = null;
  await post('/join/leave').catch(() => undefined);
  stage.root.hidden = true;
  main.classList.remove('in-call');
  waitingText.hidden = true;
  const rejoin = h('button', { type: 'button', class: 'btn btn-primary btn-large', 'data-testid': 'rejoin-button' }, t.rejoin);
  rejoin.addEventListener('click', () => {
    rejoin.disabled = true;
    void deviceCheckThenJoin();
  });
  showPanel(h('p', { role: 'status', 'data-testid': 'left-text' }, t.youLeft), rejoin);
  rejoin.focus();
}

async function deviceCheckThenJoin(): Promise<void> {
  try {
    stream = await openDevices();
  } catch (err) {
    const problem = err instanceof DeviceError ? err.problem : 'other';
    showPanel(deviceProblemView(problem, () => void deviceCheck()));
    return;
  }
  await joinCall();
}

// A new link opened in the same tab changes only the fragment: start again with the new token.
window.addEventListener('hashchange', () => location.reload());

window.addEventListener('pagehide', () => {
  if (!inCall || finished) return;
  void session?.stop({ unloading: true });
  void apiRequest('POST', '/join/leave', { token }, { keepalive: true }).catch(() => undefined);
});

async function start(): Promise<void> {
  if (!token) return finalPage(t.noToken, 'link-invalid');
  showPanel(h('p', { class: 'loading' }, t.loading));
  let details: ClientJoinInfo | null;
  try {
    details = await fetchInfo();
  } catch (err) {
    showPanel(h('p', { class: 'error', role: 'alert' }, errorText(err)));
    return;
  }
  if (!details) return;
  renderInfo(details);
  const caregiverIn = details.caregiver_present ?? details.state === 'active';
  waitingText.hidden = caregiverIn;
  const check = h('button', { type: 'button', class: 'btn btn-primary btn-large', 'data-testid': 'check-devices' }, t.checkDevices);
  check.addEventListener('click', () => void deviceCheck());
  showPanel(h('p', {}, t.devicePrompt), check);
  schedulePoll();
}

void start();
