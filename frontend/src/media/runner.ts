/**
 * The one call runner of the call window and the join page. It owns what a call holds, so each page only
 * keeps its state and draws it:
 * - the join's order (R42): the API first, then camera and microphone, then the media session; a refused
 *   join never opens a device;
 * - the media session and the device stream, released exactly once whatever ends them (a hang-up, the
 *   meeting going away, a refused device, the page closing);
 * - the stage's three media elements, made once, so a re-render never loses a playing video;
 * - the controls (mute, camera on/off, switch camera, sound) as one set of intents both pages send;
 * - closing or reloading the page (R24): the session stops and the API hears "left" with a keepalive
 *   request; nothing ends.
 * The page hears what happens as RunnerEvents and decides (for example, whether a meeting that went away
 * is joined again).
 */
import type { JoinResponse } from '../api/types';
import type { StageEvent, StageState } from '../ui/stageState';
import type { CallDiagnostics, CallElements, CallSession, ConnectionState } from './CallSession';
import { deviceProblem, openDevices, stopStream } from './devices';
import type { DeviceProblem } from './devices';
import { openCallSession } from './providers';

export interface RunnerHooks {
  /** The API's join: meeting credentials, or an ApiError with its refusal. */
  join(): Promise<JoinResponse>;
  /** Tells the API this side left; `unloading` while the page goes away (a keepalive request). */
  leave(unloading: boolean): Promise<unknown>;
}

export type RunnerEvent =
  | { type: 'allowed' }
  | { type: 'devices-blocked'; problem: DeviceProblem }
  | { type: 'started'; join: JoinResponse }
  | { type: 'peer'; present: boolean }
  | { type: 'meeting-gone' }
  | { type: 'stage'; event: StageEvent };

export type StageIntent = 'mute' | 'camera' | 'switch-camera' | 'sound' | 'fullscreen';

/** The video and audio elements the media plays into; the stage shows them, the runner keeps them. */
export function createMediaElements(labels: { remote: string; self: string }): CallElements {
  const video = (className: string, label: string): HTMLVideoElement => {
    const el = document.createElement('video');
    el.className = className;
    el.autoplay = true;
    el.muted = true; // sound plays through the audio element; the self-view must never echo
    el.playsInline = true;
    el.setAttribute('playsinline', '');
    el.setAttribute('aria-label', label);
    return el;
  };
  const remoteAudio = document.createElement('audio');
  remoteAudio.autoplay = true;
  remoteAudio.className = 'remote-audio';
  return { remoteVideo: video('remote-video', labels.remote), localVideo: video('self-view', labels.self), remoteAudio };
}

export class CallRunner {
  private session: CallSession | null = null;
  private last: CallSession | null = null;
  /** Bumped by every join and leave: a join overtaken by a leave drops what it opened. */
  private generation = 0;
  private inMeeting = false;

  constructor(
    private readonly hooks: RunnerHooks,
    private readonly emit: (event: RunnerEvent) => void,
    readonly elements: CallElements,
  ) {
    window.addEventListener('pagehide', () => this.unload());
    document.addEventListener('fullscreenchange', () =>
      this.emit({ type: 'stage', event: { type: 'fullscreen', on: document.fullscreenElement === this.stageElement() } }),
    );
    // Read-only diagnostics for support staff and the browser tests; no token, no personal data.
    (window as unknown as { vvCallDiagnostics: () => CallDiagnostics | null }).vvCallDiagnostics = () =>
      (this.session ?? this.last)?.diagnostics() ?? null;
  }

  /**
   * Joins the meeting: the API first, then camera and microphone (R42), then the media session.
   * `stream`: devices the page opened after the API let it (the join page's device check); the runner owns
   * it once the API says yes. `answer`: the API's join, when the page already asked (the join page asks
   * while it loads this code). Resolves with the join response; with null when the devices were refused
   * (after `devices-blocked`; the API was told this side left) or a leave overtook the join. Throws the
   * API's refusal, before any device was opened.
   */
  async join(stream: MediaStream | null = null, answer?: Promise<JoinResponse>): Promise<JoinResponse | null> {
    const generation = ++this.generation;
    const current = (): boolean => generation === this.generation;
    const join = await (answer ?? this.hooks.join());
    if (!current()) {
      await this.hooks.leave(false).catch(() => undefined); // the API counted this side in
      return null;
    }
    this.inMeeting = true;
    this.emit({ type: 'allowed' });
    let devices = stream;
    if (!devices || devices.getTracks().every((track) => track.readyState !== 'live')) {
      try {
        devices = await openDevices();
      } catch (err) {
        this.inMeeting = false;
        await this.hooks.leave(false).catch(() => undefined);
        if (current()) this.emit({ type: 'devices-blocked', problem: deviceProblem(err) });
        return null;
      }
    }
    if (!current()) {
      stopStream(devices);
      return null;
    }
    const session = await openCallSession({ join, stream: devices, elements: this.elements, events: this.sessionEvents() });
    if (!current()) {
      await session.stop();
      return null;
    }
    this.session = this.last = session;
    this.showSelf(true);
    this.emit({ type: 'started', join });
    try {
      await session.start();
    } catch (err) {
      if (this.session === session) await this.leave({ tellApi: true });
      throw err;
    }
    return join;
  }

  /** Leaves: stops the media session and every device track (once), and tells the API unless asked not to. */
  async leave(options: { tellApi: boolean }): Promise<void> {
    this.generation += 1;
    const session = this.session;
    const wasIn = this.inMeeting;
    this.session = null;
    this.inMeeting = false;
    await session?.stop().catch(() => undefined);
    if (options.tellApi && wasIn) await this.hooks.leave(false).catch(() => undefined);
  }

  /** A control pressed on the stage; the outcome comes back as stage events. */
  async control(intent: StageIntent, stage: StageState): Promise<void> {
    const session = this.session;
    if (intent === 'sound') return this.playSound();
    if (intent === 'fullscreen') return this.toggleFullscreen();
    if (!session) return;
    if (intent === 'mute') {
      session.setMuted(!stage.muted);
      this.emit({ type: 'stage', event: { type: 'muted', muted: !stage.muted } });
      return;
    }
    this.emit({ type: 'stage', event: { type: 'camera-busy' } });
    if (intent === 'camera') {
      let on = stage.videoOn;
      try {
        await session.setVideoEnabled(!stage.videoOn);
        on = !stage.videoOn;
      } finally {
        this.showSelf(on);
        this.emit({ type: 'stage', event: { type: 'camera', on } });
      }
      return;
    }
    let switched = false;
    try {
      switched = await session.switchCamera();
    } finally {
      this.emit({ type: 'stage', event: { type: 'switched', switched } });
    }
  }

  /** The stage that shows this runner's video (it goes fullscreen, controls and all). */
  private stageElement(): Element | null {
    return this.elements.remoteVideo.closest('.stage');
  }

  private toggleFullscreen(): void {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void this.stageElement()?.requestFullscreen?.().catch(() => undefined);
  }

  /** The self-view keeps its place while the camera is off (hidden, not removed: the layout does not jump). */
  private showSelf(on: boolean): void {
    this.elements.localVideo.classList.toggle('self-view-off', !on);
  }

  private sessionEvents() {
    const own = (): boolean => this.session !== null;
    return {
      peerPresence: (present: boolean) => own() && this.emit({ type: 'peer', present }),
      remoteVideo: (showing: boolean) => {
        if (!own()) return;
        this.emit({ type: 'stage', event: { type: 'remote-video', showing } });
        if (showing) void this.playSound();
      },
      connection: (state: ConnectionState) => own() && this.emit({ type: 'stage', event: { type: 'connection', state } }),
      ended: () => {
        // The provider stopped the session itself; the page asks the API what that means.
        if (!own()) return;
        this.session = null;
        this.inMeeting = false;
        this.generation += 1;
        this.emit({ type: 'meeting-gone' });
      },
    };
  }

  private async playSound(): Promise<void> {
    const audio = this.elements.remoteAudio;
    if (!audio.srcObject || !audio.paused) return;
    try {
      await audio.play();
      this.emit({ type: 'stage', event: { type: 'sound-blocked', blocked: false } });
    } catch {
      this.emit({ type: 'stage', event: { type: 'sound-blocked', blocked: true } });
    }
  }

  /** The page is closing or reloading: ends nothing (R24), only says this side left. */
  private unload(): void {
    if (!this.inMeeting) return;
    this.inMeeting = false;
    void this.session?.stop({ unloading: true });
    void this.hooks.leave(true).catch(() => undefined);
  }
}
