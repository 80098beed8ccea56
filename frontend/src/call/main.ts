/**
 * The caregiver's call window (/call?visit=<id>), opened by "Join video session" (R14).
 * It asks for camera and microphone, joins, shows the R15 waiting text with a working
 * "Resend invite", the R19 notice, the controls (R18), the R20 confirmation and the over text,
 * which also shows when the session ends elsewhere (R22). Closing the window ends nothing (R24):
 * it only reports that the caregiver left.
 */
import '../styles.css';
import { apiRequest, errorText } from '../api';
import { getToken } from '../auth';
import { byId, clear, h } from '../dom';
import { hhmm } from '../format';
import { openCallSession } from '../media/CallSession';
import type { CallSession } from '../media/CallSession';
import { t } from '../texts';
import type { InviteResponse, JoinResponse, Me, SessionStatus } from '../types';
import { DeviceError, deviceProblemView, openDevices } from '../ui/devices';
import { createStage } from '../ui/stage';
import { exposeDiagnostics } from '../ui/diagnostics';

/**
 * The window asks the API for the session only while the media session cannot tell it: before the
 * media connects and whenever it is not connected. A connected media session reports the client's
 * presence and the meeting's end itself (both providers), so a call costs no polling (docs/PERFORMANCE.md §5).
 */
const SESSION_POLL_MS = 3000;
/** Automatic rejoins when the media says the meeting is gone but the API says the session is still open. */
const MAX_MEDIA_REJOINS = 2;
const root = byId('app');
const visitId = new URLSearchParams(location.search).get('visit');
const token = getToken();

const panel = h('div', { class: 'panel', 'data-testid': 'call-panel' });
const stage = createStage({ remoteLabel: t.remoteViewCaregiver, onHangUp: () => confirmHangUp() });
const waiting = h('div', { class: 'waiting', hidden: true, 'data-testid': 'waiting' });
const waitingText = h('p', { 'data-testid': 'waiting-text' });
const resend = h('button', { type: 'button', class: 'btn btn-primary' }, t.resendInviteShort);
const resendFeedback = h('p', { class: 'feedback', role: 'status' });
const leftNotice = h('p', { class: 'notice', role: 'status', hidden: true, 'data-testid': 'client-left' }, t.clientLeft);
const callError = h('p', { class: 'error', role: 'alert', 'data-testid': 'call-error' });
waiting.append(h('div', { class: 'waiting-row' }, waitingText, resend), resendFeedback);
stage.status.append(waiting, leftNotice, callError);
stage.root.hidden = true;

root.append(h('header', { class: 'topbar' }, h('h1', { class: 'brand' }, t.callTitle)), h('main', { class: 'call-main' }, panel, stage.root));

let timeZone = 'UTC';
let session: CallSession | null = null;
let lastSession: CallSession | null = null;
let status: SessionStatus | null = null;
let clientEverPresent = false;
let clientPresent = false;
let over = false;
let joined = false;
let pollTimer = 0;
let mediaConnected = false;
let mediaRejoins = 0;

exposeDiagnostics(() => session ?? lastSession);

function showPanel(...children: (Node | string)[]): void {
  clear(panel);
  panel.append(...children);
  panel.hidden = false;
}

function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  return apiRequest<T>(method, `/visits/${encodeURIComponent(visitId ?? '')}${path}`, body, { token });
}

function tellOpener(message: string): void {
  try {
    window.opener?.postMessage({ type: 'vv-call-error', visitId, message }, location.origin);
  } catch {
    // The main window is gone; this window shows the message anyway.
  }
}

function renderPresence(): void {
  if (over) return;
  waiting.hidden = clientPresent || clientEverPresent;
  leftNotice.hidden = clientPresent || !clientEverPresent;
  const sentAt = status?.last_invite_sent_at;
  waitingText.textContent = sentAt ? t.clientNotJoined(hhmm(sentAt, timeZone)) : t.clientNotJoinedNoEmail;
}

async function sessionOver(text: string = t.sessionOverEmployee): Promise<void> {
  if (over) return;
  over = true;
  window.clearInterval(pollTimer);
  const current = session;
  session = null;
  stage.bind(null);
  await current?.stop().catch(() => undefined);
  stage.root.hidden = true;
  showPanel(h('p', { class: 'over-text', role: 'status', 'data-testid': 'over-text' }, text));
}

async function pollSession(): Promise<void> {
  if (mediaConnected || over) return;
  try {
    status = await api<SessionStatus>('GET', '/session');
  } catch {
    return;
  }
  if (status.state === 'over') await sessionOver();
  else if (status.state === 'expired') await sessionOver(t.sessionExpiredEmployee);
  else renderPresence();
}

function confirmHangUp(): void {
  const dialog = h('dialog', { class: 'confirm', role: 'alertdialog', 'aria-labelledby': 'confirm-text', 'data-testid': 'hang-up-confirm' });
  const cancel = h('button', { type: 'button', class: 'btn' }, t.cancel);
  const hangUp = h('button', { type: 'button', class: 'btn btn-danger' }, t.hangUp);
  const failure = h('p', { class: 'error', role: 'alert' });
  dialog.append(h('p', { id: 'confirm-text' }, t.hangUpConfirm), h('div', { class: 'actions' }, cancel, hangUp), failure);
  const close = (): void => {
    dialog.close();
    dialog.remove();
  };
  cancel.addEventListener('click', close);
  dialog.addEventListener('cancel', () => dialog.remove());
  hangUp.addEventListener('click', async () => {
    hangUp.disabled = true;
    try {
      await api<SessionStatus>('POST', '/session/end');
      close();
      await sessionOver();
    } catch (err) {
      failure.textContent = errorText(err);
      hangUp.disabled = false;
    }
  });
  (stage.root.isConnected && document.fullscreenElement ? document.fullscreenElement : document.body).append(dialog);
  dialog.showModal();
  cancel.focus();
}

resend.addEventListener('click', async () => {
  resend.disabled = true;
  resendFeedback.textContent = '';
  callError.textContent = '';
  try {
    const result = await api<InviteResponse>('POST', '/invite', { delivery: 'email' });
    status = result.session;
    resendFeedback.textContent = t.inviteResent;
    renderPresence();
  } catch (err) {
    callError.textContent = errorText(err);
  } finally {
    resend.disabled = false;
  }
});

async function askForDevices(): Promise<MediaStream | null> {
  showPanel(h('p', { class: 'prompt', 'data-testid': 'device-prompt' }, t.devicePrompt));
  try {
    return await openDevices();
  } catch (err) {
    const problem = err instanceof DeviceError ? err.problem : 'other';
    showPanel(
      h('p', { class: 'prompt' }, t.devicePrompt),
      deviceProblemView(problem, () => void begin()),
    );
    return null;
  }
}

async function begin(): Promise<void> {
  const stream = await askForDevices();
  if (!stream) return;
  let join: JoinResponse;
  try {
    join = await api<JoinResponse>('POST', '/session/join');
  } catch (err) {
    stream.getTracks().forEach((track) => track.stop());
    const message = errorText(err);
    showPanel(h('p', { class: 'error', role: 'alert', 'data-testid': 'join-error' }, message));
    tellOpener(message);
    return;
  }
  joined = true;
  clientPresent = Boolean(join.client_present);
  clientEverPresent = clientPresent;
  panel.hidden = true;
  stage.root.hidden = false;
  renderPresence();
  try {
    session = await openCallSession({
      join,
      stream,
      elements: { localVideo: stage.localVideo, remoteVideo: stage.remoteVideo, remoteAudio: stage.remoteAudio },
      events: {
        peerPresence(present) {
          clientPresent = present;
          if (present) clientEverPresent = true;
          renderPresence();
        },
        remoteVideo: (showing) => stage.setRemoteShowing(showing),
        connection: (state) => {
          mediaConnected = state === 'connected';
          if (mediaConnected) mediaRejoins = 0; // that rejoin worked
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
  window.clearInterval(pollTimer);
  pollTimer = window.setInterval(() => void pollSession(), SESSION_POLL_MS);
  void pollSession();
}

/**
 * The media says the meeting is gone. Hang-up, clock-out (R22) and expiry all delete it; the API says
 * which, so the right text shows. A meeting that ended with the session still open (Chime ends idle
 * meetings) is joined again: the API makes a new one for the same session.
 */
async function mediaEnded(): Promise<void> {
  if (over) return;
  mediaConnected = false;
  try {
    status = await api<SessionStatus>('GET', '/session');
  } catch {
    // Unknown: the poll, running again now, tells.
  }
  if (status?.state === 'over') return sessionOver();
  if (status?.state === 'expired') return sessionOver(t.sessionExpiredEmployee);
  const current = session;
  session = null;
  stage.bind(null);
  await current?.stop().catch(() => undefined);
  if (mediaRejoins >= MAX_MEDIA_REJOINS) {
    stage.root.hidden = true;
    showPanel(h('p', { class: 'error', role: 'alert', 'data-testid': 'join-error' }, t.videoLost));
    return;
  }
  mediaRejoins += 1;
  await begin();
}

window.addEventListener('pagehide', () => {
  if (!joined || over) return;
  void session?.stop({ unloading: true });
  // R24: leaving the window ends nothing; it only tells the API the caregiver left.
  void apiRequest('POST', `/visits/${encodeURIComponent(visitId ?? '')}/session/leave`, undefined, { token, keepalive: true }).catch(
    () => undefined,
  );
});

async function main(): Promise<void> {
  if (!visitId) return showPanel(h('p', { class: 'error', role: 'alert' }, t.noVisit));
  if (!token) return showPanel(h('p', { class: 'error', role: 'alert' }, t.notSignedIn));
  try {
    const me = await apiRequest<Me>('GET', '/me', undefined, { token });
    timeZone = me.time_zone ?? me.agency?.time_zone ?? 'UTC';
    status = await api<SessionStatus>('GET', '/session');
  } catch (err) {
    return showPanel(h('p', { class: 'error', role: 'alert' }, errorText(err)));
  }
  await begin();
}

void main();
