/**
 * Local provider: a peer-to-peer WebRTC call between the two browsers, for a developer's machine
 * and the browser tests. Signaling goes through the local API (/api/media/local/signal and /poll);
 * there is no STUN or TURN (`iceServers: []`) and only host candidates are sent or accepted.
 *
 * Negotiation (every message carries the sender's random per-page id, `page`):
 * - a page that arrives, or that finds its connection broken, says `hello` with the offer id of the
 *   connection it still has (`has`, or null);
 * - of the two attendees, the one with the smaller attendee id makes every offer; the other answers,
 *   and answers a `hello` with its own `hello`, so the offerer learns it must offer;
 * - a `hello` whose `has` is the connection the receiver holds, alive, changes nothing;
 * - offers and answers carry their ICE candidates in the SDP (gathering host candidates takes
 *   milliseconds), so no candidate can arrive before the offer it belongs to;
 * - an answer to an older offer is dropped, so rejoins and reloads (R19, R24) end in one connection;
 * - a `bye` from a page other than the peer's current one (a reloaded page's late goodbye) is ignored.
 *
 * Presence: the server lists an attendee while one of its pages is polling or was heard from in the
 * last 5 s. A peer counts as gone on its `bye`, or when the server stops listing it and no media flows.
 */
import { ApiError, apiRequest } from '../api';
import type { JoinResponse } from '../types';
import { listCameras, stopStream } from './CallSession';
import { AUDIO_CONSTRAINTS, VIDEO_CONSTRAINTS } from './constraints';
import type { CallDiagnostics, CallEvents, CallSession, CallSessionOptions, ConnectionState } from './CallSession';

interface SignalMessage {
  seq: number;
  from: string;
  type: 'hello' | 'offer' | 'answer' | 'bye';
  payload: Record<string, unknown> | null;
}

interface PollResponse {
  messages: SignalMessage[];
  next: number;
  present: string[];
  ended: boolean;
}

const POLL_WAIT_MS = 4000;
const GATHER_TIMEOUT_MS = 2000;

/**
 * Only host candidates ever leave or enter this page. In loopback-only mode (set by the browser
 * tests with `window.__VV_LOOPBACK_ONLY__`, or by `localStorage['vv.loopbackOnly'] = '1'`), only
 * 127.0.0.0/8 and ::1 candidates are used, so media never leaves the machine.
 */
export function candidateAllowed(candidate: string, loopbackOnly: boolean): boolean {
  const fields = candidate.replace(/^a=/, '').split(' ');
  const typIndex = fields.indexOf('typ');
  if (typIndex < 0 || fields[typIndex + 1] !== 'host') return false;
  if (!loopbackOnly) return true;
  const address = fields[4] ?? '';
  return address.startsWith('127.') || address === '::1';
}

/** The SDP with only the candidate lines this page may send or use. */
export function allowedCandidatesOnly(sdp: string, loopbackOnly: boolean): string {
  return sdp
    .split('\r\n')
    .filter((line) => !line.startsWith('a=candidate:') || candidateAllowed(line, loopbackOnly))
    .join('\r\n');
}

function loopbackOnlyMode(): boolean {
  const flag = (globalThis as { __VV_LOOPBACK_ONLY__?: boolean }).__VV_LOOPBACK_ONLY__;
  if (flag) return true;
  try {
    return localStorage.getItem('vv.loopbackOnly') === '1';
  } catch {
    return false;
  }
}

function randomId(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Signaling steps, for a developer reading the console (hidden unless "Verbose" is shown). */
function trace(...parts: unknown[]): void {
  console.debug('[local-call]', ...parts);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until the connection has gathered its candidates (or a short timeout), then returns its SDP. */
async function gatheredDescription(pc: RTCPeerConnection): Promise<string> {
  if (pc.iceGatheringState !== 'complete') {
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        pc.removeEventListener('icegatheringstatechange', check);
        resolve();
      };
      const check = (): void => {
        if (pc.iceGatheringState === 'complete') done();
      };
      const timer = setTimeout(done, GATHER_TIMEOUT_MS);
      pc.addEventListener('icegatheringstatechange', check);
    });
  }
  return pc.localDescription?.sdp ?? '';
}

export class LocalCallSession implements CallSession {
  readonly provider = 'local' as const;
  private readonly join: JoinResponse;
  private readonly events: CallEvents;
  private readonly localVideo: HTMLVideoElement;
  private readonly remoteVideo: HTMLVideoElement;
  private readonly remoteAudio: HTMLAudioElement;
  private readonly me: string;
  private readonly page = randomId();
  private readonly loopbackOnly = loopbackOnlyMode();
  private stream: MediaStream;
  private pc: RTCPeerConnection | null = null;
  private offerId: string | null = null;
  private peerId: string | null = null;
  private peerPage: string | null = null;
  private peerPresent = false;
  private after = 0;
  private pollFailures = 0;
  private stopped = false;
  private muted = false;
  private videoEnabled = true;
  private videoDeviceId: string | null = null;
  private cameraCount = 0;
  private audioCount = 0;
  private state: ConnectionState = 'connecting';
  private pollAbort: AbortController | null = null;
  private mediaPath: string | null = null;

  constructor(options: CallSessionOptions) {
    this.join = options.join;
    this.events = options.events;
    this.localVideo = options.elements.localVideo;
    this.remoteVideo = options.elements.remoteVideo;
    this.remoteAudio = options.elements.remoteAudio;
    this.me = options.join.attendee.attendee_id;
    this.stream = options.stream ?? new MediaStream();
  }

  async start(): Promise<void> {
    if (this.stream.getTracks().length === 0) {
      this.stream = await navigator.mediaDevices.getUserMedia({ audio: AUDIO_CONSTRAINTS, video: VIDEO_CONSTRAINTS });
    }
    this.videoDeviceId = this.stream.getVideoTracks()[0]?.getSettings().deviceId ?? null;
    const devices = await navigator.mediaDevices.enumerateDevices();
    this.cameraCount = devices.filter((d) => d.kind === 'videoinput').length;
    this.audioCount = devices.filter((d) => d.kind === 'audioinput').length;
    this.showLocal();
    this.refreshConnection();
    // Skip what was said before this page arrived: it was meant for an earlier page of ours.
    const first = await this.poll(0);
    this.after = first.next;
    if (first.ended) return this.endedElsewhere();
    this.followPresence(first.present);
    await this.sendHello();
    void this.pollLoop();
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    this.stream.getAudioTracks().forEach((track) => (track.enabled = !muted));
  }

  async setVideoEnabled(enabled: boolean): Promise<void> {
    if (enabled === this.videoEnabled) return;
    if (!enabled) {
      // Stop the camera itself (its light goes off), not only the sending.
      this.stream.getVideoTracks().forEach((track) => {
        track.stop();
        this.stream.removeTrack(track);
      });
      await this.replaceSenderTrack('video', null);
      this.videoEnabled = false;
      this.showLocal();
      return;
    }
    const video: MediaTrackConstraints = { ...VIDEO_CONSTRAINTS };
    if (this.videoDeviceId) video.deviceId = { exact: this.videoDeviceId };
    const fresh = await navigator.mediaDevices.getUserMedia({ video });
    const track = fresh.getVideoTracks()[0];
    this.stream.addTrack(track);
    await this.replaceSenderTrack('video', track);
    this.videoEnabled = true;
    this.showLocal();
  }

  async switchCamera(): Promise<boolean> {
    const cameras = await listCameras();
    this.cameraCount = cameras.length;
    if (cameras.length < 2) return false;
    const index = cameras.findIndex((c) => c.deviceId === this.videoDeviceId);
    const nextCamera = cameras[(index + 1) % cameras.length];
    this.videoDeviceId = nextCamera.deviceId;
    if (!this.videoEnabled) return true; // used when the camera is turned back on
    const fresh = await navigator.mediaDevices.getUserMedia({
      video: { ...VIDEO_CONSTRAINTS, deviceId: { exact: nextCamera.deviceId } },
    });
    const track = fresh.getVideoTracks()[0];
    for (const old of this.stream.getVideoTracks()) {
      old.stop();
      this.stream.removeTrack(old);
    }
    this.stream.addTrack(track);
    await this.replaceSenderTrack('video', track);
    this.showLocal();
    return true;
  }

  async stop(options: { unloading?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.pollAbort?.abort();
    const bye = this.signal('bye', { page: this.page }, options.unloading ?? false).catch(() => undefined);
    this.closePeer();
    stopStream(this.stream);
    this.localVideo.srcObject = null;
    this.refreshConnection();
    if (!options.unloading) await bye;
  }

  diagnostics(): CallDiagnostics {
    return {
      provider: 'local',
      muted: this.muted,
      videoEnabled: this.videoEnabled,
      videoDeviceId: this.videoDeviceId,
      videoDevices: this.cameraCount,
      audioDevices: this.audioCount,
      connection: this.state,
      echoReduction: 'not-offered',
      liveLocalTracks: this.stream.getTracks().filter((track) => track.readyState === 'live').length,
      mediaPath: this.mediaPath,
    };
  }

  // --- signaling ---------------------------------------------------------------------------

  private credentials(): Record<string, string> {
    return {
      meeting_id: this.join.meeting.MeetingId,
      attendee_id: this.me,
      join_token: this.join.attendee.join_token,
      page: this.page,
    };
  }

  private async signal(type: SignalMessage['type'], payload: Record<string, unknown>, keepalive = false): Promise<void> {
    trace('send', type, payload.offer_id ?? payload.has ?? '');
    await apiRequest('POST', '/media/local/signal', { ...this.credentials(), type, payload }, { keepalive });
  }

  private async sendHello(): Promise<void> {
    await this.signal('hello', { page: this.page, has: this.pcAlive() ? this.offerId : null });
  }

  private async poll(waitMs: number): Promise<PollResponse> {
    this.pollAbort = new AbortController();
    return apiRequest<PollResponse>(
      'POST',
      '/media/local/poll',
      { ...this.credentials(), after: this.after, wait_ms: waitMs },
      { signal: this.pollAbort.signal },
    );
  }

  private async pollLoop(): Promise<void> {
    while (!this.stopped) {
      let response: PollResponse;
      try {
        // After a failure, ask without waiting, so a recovery shows at once rather than after a long poll.
        response = await this.poll(this.pollFailures > 0 ? 0 : POLL_WAIT_MS);
      } catch (err) {
        if (this.stopped) return;
        if (err instanceof ApiError && (err.status === 404 || err.status === 410)) return this.endedElsewhere();
        this.pollFailures += 1;
        trace('poll failed', this.pollFailures);
        this.refreshConnection();
        await sleep(Math.min(4000, 500 * this.pollFailures));
        continue;
      }
      const recovered = this.pollFailures > 0;
      this.pollFailures = 0;
      this.after = response.next;
      for (const message of response.messages) {
        if (this.stopped) return;
        if (message.from === this.me) continue;
        try {
          await this.handle(message);
        } catch (err) {
          // A failed step of one negotiation must not stop the loop; the next hello restarts it.
          trace('step failed', message.type, err);
        }
      }
      if (this.stopped) return;
      if (response.ended) return this.endedElsewhere();
      this.followPresence(response.present);
      // Back from a signaling outage with no working connection: ask for a fresh one.
      if (recovered && this.peerPresent && !this.mediaFlowing()) await this.restartNegotiation().catch(() => undefined);
      this.refreshConnection();
    }
  }

  /** The server's list of who is polling: a peer it no longer lists, with no media flowing, has gone. */
  private followPresence(present: string[]): void {
    const others = present.filter((id) => id !== this.me);
    if (others.length > 0) {
      if (!this.peerId) this.peerId = others[0];
      this.setPeerPresent(true);
    } else if (this.peerPresent && !this.mediaFlowing()) {
      trace('peer not heard from');
      this.peerGone();
    }
  }

  private endedElsewhere(): void {
    if (this.stopped) return;
    void this.stop();
    this.events.ended();
  }

  private async handle(message: SignalMessage): Promise<void> {
    const payload = message.payload ?? {};
    const page = typeof payload.page === 'string' ? payload.page : null;
    trace('got', message.type, payload.offer_id ?? payload.has ?? '');
    switch (message.type) {
      case 'hello': {
        this.peerId = message.from;
        this.peerPage = page;
        this.setPeerPresent(true);
        if (payload.has && payload.has === this.offerId && this.pcAlive()) return; // already on one connection
        if (this.isOfferer(message.from)) await this.makeOffer();
        else await this.sendHello();
        return;
      }
      case 'offer': {
        this.peerId = message.from;
        this.peerPage = page;
        this.setPeerPresent(true);
        await this.acceptOffer(String(payload.offer_id), String(payload.sdp));
        return;
      }
      case 'answer': {
        if (payload.offer_id !== this.offerId || !this.pc) return;
        if (this.pc.signalingState !== 'have-local-offer') return;
        await this.pc.setRemoteDescription({ type: 'answer', sdp: this.usable(String(payload.sdp)) });
        return;
      }
      case 'bye': {
        // A reloaded page's goodbye can arrive after its successor's hello: only the current page's counts.
        if (message.from !== this.peerId || (page && this.peerPage && page !== this.peerPage)) return;
        this.peerGone();
        return;
      }
    }
  }

  private setPeerPresent(present: boolean): void {
    if (present === this.peerPresent) return;
    this.peerPresent = present;
    this.events.peerPresence(present);
  }

  private peerGone(): void {
    this.closePeer();
    this.peerPage = null;
    this.setPeerPresent(false);
    this.refreshConnection();
  }

  private isOfferer(peer: string): boolean {
    return this.me < peer;
  }

  private async restartNegotiation(): Promise<void> {
    if (this.peerId && this.isOfferer(this.peerId)) await this.makeOffer();
    else await this.sendHello();
  }

  // --- peer connection ---------------------------------------------------------------------

  private pcAlive(): boolean {
    return this.pc !== null && !['failed', 'closed'].includes(this.pc.connectionState);
  }

  private mediaFlowing(): boolean {
    return this.pc?.connectionState === 'connected';
  }

  /** Only candidates this page may use: a peer's SDP is filtered like our own. */
  private usable(sdp: string): string {
    return allowedCandidatesOnly(sdp, this.loopbackOnly);
  }

  private newPeer(offerId: string): RTCPeerConnection {
    this.closePeer();
    const pc = new RTCPeerConnection({ iceServers: [], iceCandidatePoolSize: 0 });
    this.pc = pc;
    this.offerId = offerId;
    const remoteStream = new MediaStream();
    pc.ontrack = (event) => {
      if (this.pc !== pc) return;
      remoteStream.addTrack(event.track);
      if (event.track.kind === 'video') {
        this.remoteVideo.srcObject = new MediaStream(remoteStream.getVideoTracks());
        this.remoteVideo.onloadeddata = () => this.events.remoteVideo(true);
        void this.remoteVideo.play().catch(() => undefined);
      } else {
        this.remoteAudio.srcObject = new MediaStream(remoteStream.getAudioTracks());
        void this.remoteAudio.play().catch(() => undefined);
      }
    };
    pc.onconnectionstatechange = () => {
      if (this.pc !== pc || this.stopped) return;
      const state = pc.connectionState;
      trace('connection', state);
      if (state === 'connected') {
        this.setPeerPresent(true);
        void this.readMediaPath(pc);
      } else if (state === 'failed' && this.peerPresent) {
        void this.restartNegotiation().catch(() => undefined);
      }
      this.refreshConnection();
    };
    return pc;
  }

  private async attachLocalTracks(pc: RTCPeerConnection, create: boolean): Promise<void> {
    for (const kind of ['audio', 'video'] as const) {
      const track = (kind === 'audio' ? this.stream.getAudioTracks() : this.stream.getVideoTracks())[0] ?? null;
      let transceiver = pc.getTransceivers().find((t) => t.receiver.track.kind === kind);
      if (!transceiver && create) transceiver = pc.addTransceiver(kind, { direction: 'sendrecv', streams: [this.stream] });
      if (!transceiver) continue;
      transceiver.direction = 'sendrecv';
      transceiver.sender.setStreams?.(this.stream);
      await transceiver.sender.replaceTrack(track);
    }
  }

  private async makeOffer(): Promise<void> {
    const offerId = randomId();
    const pc = this.newPeer(offerId);
    await this.attachLocalTracks(pc, true);
    await pc.setLocalDescription(await pc.createOffer());
    const sdp = this.usable(await gatheredDescription(pc));
    if (this.pc !== pc) return; // a newer negotiation took over while candidates gathered
    await this.signal('offer', { offer_id: offerId, sdp, page: this.page });
  }

  private async acceptOffer(offerId: string, sdp: string): Promise<void> {
    const pc = this.newPeer(offerId);
    await pc.setRemoteDescription({ type: 'offer', sdp: this.usable(sdp) });
    await this.attachLocalTracks(pc, false);
    await pc.setLocalDescription(await pc.createAnswer());
    const answer = this.usable(await gatheredDescription(pc));
    if (this.pc !== pc) return;
    await this.signal('answer', { offer_id: offerId, sdp: answer, page: this.page });
  }

  /** Where the media actually flows: the selected candidate pair's remote address. */
  private async readMediaPath(pc: RTCPeerConnection): Promise<void> {
    const stats = await pc.getStats();
    let pairId: string | undefined;
    stats.forEach((report) => {
      if (report.type === 'transport' && report.selectedCandidatePairId) pairId = report.selectedCandidatePairId;
    });
    const pair = pairId ? stats.get(pairId) : undefined;
    if (!pair || this.pc !== pc) return;
    const describe = (id: string): string => {
      const c = stats.get(id);
      return c ? `${c.candidateType} ${c.address ?? c.ip ?? ''}:${c.port}` : '?';
    };
    this.mediaPath = `${describe(pair.localCandidateId)} -> ${describe(pair.remoteCandidateId)}`;
  }

  private async replaceSenderTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    const transceiver = this.pc?.getTransceivers().find((t) => t.receiver.track.kind === kind);
    if (transceiver) await transceiver.sender.replaceTrack(track);
  }

  private closePeer(): void {
    if (this.pc) {
      this.pc.ontrack = null;
      this.pc.onconnectionstatechange = null;
      this.pc.close();
      this.pc = null;
      this.offerId = null;
      this.mediaPath = null;
      this.remoteVideo.srcObject = null;
      this.remoteAudio.srcObject = null;
      this.events.remoteVideo(false);
    }
  }

  private showLocal(): void {
    this.localVideo.srcObject = this.videoEnabled ? this.stream : null;
    this.localVideo.muted = true;
    if (this.videoEnabled) void this.localVideo.play().catch(() => undefined);
  }

  /** One place decides what the banner says, from signaling health, the media connection and presence. */
  private refreshConnection(): void {
    const pcState = this.pc?.connectionState;
    let next: ConnectionState;
    if (this.stopped) next = 'stopped';
    else if (this.pollFailures >= 2) next = 'reconnecting';
    else if (pcState === 'connected') next = 'connected';
    else if (this.peerPresent && (pcState === 'disconnected' || pcState === 'failed')) next = 'reconnecting';
    else next = 'connecting';
    if (next === this.state) return;
    trace('state', next);
    this.state = next;
    this.events.connection(next);
  }
}
