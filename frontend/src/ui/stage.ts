/**
 * The call stage shared by the call window and the join page: the remote video large, the
 * self-view small in the bottom-right corner (R16), a status area, a reconnecting banner and
 * the four controls (R18). The controls are <button>s whose visible text is their accessible
 * name; the stage itself goes fullscreen, so the labels stay visible there.
 */
import { h } from '../dom';
import { t } from '../texts';
import { controlIcon } from './icons';
import type { CallSession, ConnectionState } from '../media/CallSession';

export interface Stage {
  root: HTMLElement;
  remoteVideo: HTMLVideoElement;
  localVideo: HTMLVideoElement;
  remoteAudio: HTMLAudioElement;
  status: HTMLElement;
  bind(session: CallSession | null): void;
  setConnection(state: ConnectionState): void;
  setRemoteShowing(showing: boolean): void;
  setControlsEnabled(enabled: boolean): void;
}

function controlButton(name: string, action: string, extraClass = ''): HTMLButtonElement {
  const button = h('button', { type: 'button', class: `control ${extraClass}`.trim(), 'data-action': action });
  button.append(controlIcon(action), h('span', { class: 'control-label' }, name));
  return button;
}

function setLabel(button: HTMLButtonElement, name: string): void {
  const label = button.querySelector('.control-label');
  if (label) label.textContent = name;
}

export function createStage(options: { remoteLabel: string; onHangUp: () => void }): Stage {
  const remoteVideo = h('video', { class: 'remote-video', autoplay: true, playsinline: true, muted: true, 'aria-label': options.remoteLabel });
  remoteVideo.muted = true; // sound plays through the audio element
  const localVideo = h('video', { class: 'self-view', autoplay: true, playsinline: true, muted: true, 'aria-label': t.selfView });
  localVideo.muted = true;
  const remoteAudio = h('audio', { autoplay: true, class: 'remote-audio' });
  const banner = h('div', { class: 'banner banner-warning', role: 'status', hidden: true, 'data-testid': 'reconnecting' }, t.reconnecting);
  const status = h('div', { class: 'stage-status', 'aria-live': 'polite', 'data-testid': 'call-status' });
  const soundButton = h('button', { type: 'button', class: 'btn btn-primary sound-button', hidden: true }, t.turnOnSound);

  const mute = controlButton(t.mute, 'mute');
  const camera = controlButton(t.cameraOff, 'camera');
  const switchCam = controlButton(t.switchCamera, 'switch-camera');
  const hangUp = controlButton(t.hangUp, 'hang-up', 'control-danger');
  const fullscreen = controlButton(t.fullscreen, 'fullscreen', 'control-secondary');
  // iPhone Safari cannot put a page element in fullscreen; the button shows only where it works.
  fullscreen.hidden = !document.fullscreenEnabled;
  const note = h('p', { class: 'control-note', 'aria-live': 'polite' });
  const controls = h('div', { class: 'controls', role: 'group', 'aria-label': t.callControls }, mute, camera, switchCam, hangUp, fullscreen);

  const root = h(
    'section',
    { class: 'stage', 'data-testid': 'stage' },
    h('div', { class: 'video-area' }, remoteVideo, localVideo, banner, soundButton),
    status,
    controls,
    note,
    remoteAudio,
  );

  let session: CallSession | null = null;
  let muted = false;
  let videoOn = true;

  mute.addEventListener('click', () => {
    if (!session) return;
    muted = !muted;
    session.setMuted(muted);
    setLabel(mute, muted ? t.unmute : t.mute);
    mute.classList.toggle('control-off', muted);
  });
  camera.addEventListener('click', async () => {
    if (!session) return;
    camera.disabled = true;
    try {
      await session.setVideoEnabled(!videoOn);
      videoOn = !videoOn;
      setLabel(camera, videoOn ? t.cameraOff : t.cameraOn);
      camera.classList.toggle('control-off', !videoOn);
      localVideo.classList.toggle('self-view-off', !videoOn);
    } finally {
      camera.disabled = false;
    }
  });
  switchCam.addEventListener('click', async () => {
    if (!session) return;
    note.textContent = '';
    const switched = await session.switchCamera();
    if (!switched) note.textContent = t.noOtherCamera;
  });
  hangUp.addEventListener('click', () => options.onHangUp());
  fullscreen.addEventListener('click', async () => {
    if (document.fullscreenElement) await document.exitFullscreen();
    else await root.requestFullscreen?.().catch(() => undefined);
  });
  document.addEventListener('fullscreenchange', () => {
    const on = document.fullscreenElement === root;
    setLabel(fullscreen, on ? t.exitFullscreen : t.fullscreen);
    root.classList.toggle('is-fullscreen', on);
  });
  soundButton.addEventListener('click', () => {
    void remoteAudio.play().then(() => (soundButton.hidden = true)).catch(() => undefined);
  });

  const stage: Stage = {
    root,
    remoteVideo,
    localVideo,
    remoteAudio,
    status,
    bind(next) {
      session = next;
      muted = false;
      videoOn = true;
      setLabel(mute, t.mute);
      setLabel(camera, t.cameraOff);
      mute.classList.remove('control-off');
      camera.classList.remove('control-off');
      localVideo.classList.remove('self-view-off');
      stage.setControlsEnabled(next !== null);
      if (!next) {
        banner.hidden = true;
        soundButton.hidden = true;
      }
    },
    setConnection(state) {
      banner.hidden = state !== 'reconnecting';
    },
    setRemoteShowing(showing) {
      root.classList.toggle('has-remote', showing);
      if (showing && remoteAudio.srcObject && remoteAudio.paused) {
        void remoteAudio.play().catch(() => (soundButton.hidden = false));
      }
    },
    setControlsEnabled(enabled) {
      for (const button of [mute, camera, switchCam]) button.disabled = !enabled;
    },
  };
  stage.setControlsEnabled(false);
  return stage;
}
