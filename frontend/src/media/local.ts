/**
 * Local provider: a peer-to-peer WebRTC call between the two browsers, for a developer's machine
 * and the browser tests. Signaling goes through the local API (/api/media/local/signal and /poll);
 * there is no STUN or TURN (`iceServers: []`) and only host candidates are sent or accepted.
 *
 * Negotiation: the newcomer says `hello` (with a random per-page session id). Of the two attendees,
 * the one with the smaller attendee id makes the offer; the other answers. Every offer carries an
 * `offer_id`, and answers and candidates of an older offer are dropped, so rejoins and reloads
 * (R19, R24) always end in one fresh connection.
 */
import { ApiError, apiRequest } from '../api';
import type { JoinResponse } from '../types';
import { listCameras, stopStream } from './CallSession';
import { AUDIO_CONSTRAINTS, VIDEO_CONSTRAINTS } from './constraints';
import type { CallDiagnostics, CallEvents, CallSession, CallSessionOptions, ConnectionState } from './CallSession';

interface SignalMessage {
  seq: number;
  from: string;
  type: 'hello' | 'offer' | 'answer' | 'candidate' | 'bye';
  payload: Record<string, unknown> | null;
}

interface PollResponse {
  messages: SignalMessage[];
  next: number;
  present: string[];
  ended: boolean;
}

const POLL_WAIT_MS = 4000;

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

function loopbackOnlyMode(): boolean {
  const flag = (globalThis as { __VV_LOOPBACK_ONLY__?: boolean }).__VV_LOOPBACK_ONLY__;
  if (flag) return true;
  try {
    return localStorage.getItem('vv.loopbackOnly') === '1';
  } catch {
    return false;
  }
}

function stripCandidates(sdp: string): string {
  return sdp
    .split('\r\n')
    .filter((line) => !line.startsWith('a=candidate:') && !line.startsWith('a=end-of-candidates'))
    .join('\r\n');
}

function randomId(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class LocalCallSession implements CallSession {
  readonly provider = 'local' as const;
  private readonly join: JoinResponse;
  private readonly events: CallEvents;
  private readonly localVideo: HTMLVideoElement;
  private readonly remoteVideo: HTMLVideoElement;
  private readonly remoteAudio: HTMLAudioElement;
  private readonly me: string;
  private readonly session = randomId();
  private readonly loopbackOnly = loopbackOnlyMode();
  private stream: MediaStream;
  private pc: RTCPeerConnection | null = null;
  private offerId: string | null = null;
  private pendingCandidates: RTCIceCandidateInit[] = [];
  private peerId: string | null = null;
  private peerSession: string | null = null;
  private peerPresent = false;
  private after = 0;
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
    this.setConnection('connecting');
    // Skip what was said before this page arrived: it was meant for an earlier page of ours.
    const first = await this.poll(0);
    this.after = first.next;
    if (this.handlePresenceAndEnd(first)) return;
    await this.signal('hello', { session: this.session });
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
    const bye = this.signal('bye', { session: this.session }, options.unloading ?? false).catch(() => undefined);
    this.closePeer();
    stopStream(this.stream);
    this.localVideo.srcObject = null;
    this.setConnection('stopped');
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
    };
  }

  private async signal(type: SignalMessage['type'], payload: Record<string, unknown>, keepalive = false): Promise<void> {
    await apiRequest('POST', '/media/local/signal', { ...this.credentials(), type, payload }, { keepalive });
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
    let failures = 0;
    while (!this.stopped) {
      let response: PollResponse;
      try {
        response = await this.poll(POLL_WAIT_MS);
        failures = 0;
      } catch (err) {
        if (this.stopped) return;
        if (err instanceof ApiError && (err.status === 404 || err.status === 410)) {
          // The meeting is gone: it was ended elsewhere.
          this.endedElsewhere();
          return;
        }
        failures += 1;
        if (failures >= 2) this.setConnection('reconnecting');
        await new Promise((resolve) => setTimeout(resolve, Math.min(4000, 500 * failures)));
        continue;
      }
      this.after = response.next;
      for (const message of response.messages) {
        if (this.stopped) return;
        if (message.from === this.me) continue;
        try {
          await this.handle(message);
        } catch {
          // A failed step of one negotiation must not stop the loop; the next hello restarts it.
        }
      }
      if (this.handlePresenceAndEnd(response)) return;
      if (this.state === 'reconnecting' && this.pc?.connectionState === 'connected') this.setConnection('connected');
    }
  }

  /** Returns true when the meeting has ended. */
  private handlePresenceAndEnd(response: PollResponse): boolean {
    if (response.ended) {
      this.endedElsewhere();
      return true;
    }
    const others = response.present.filter((id) => id !== this.me);
    const present = others.length > 0;
    if (present && !this.peerId) this.peerId = others[0];
    if (present !== this.peerPresent) {
      this.peerPresent = present;
      if (!present) {
        this.closePeer();
        this.peerSession = null;
        this.setConnection('connecting');
      }
      this.events.peerPresence(present);
    }
    return false;
  }

  private endedElsewhere(): void {
    if (this.stopped) return;
    void this.stop();
    this.events.ended();
  }

  private async handle(message: SignalMessage): Promise<void> {
    const payload = message.payload ?? {};
    switch (message.type) {
      case 'hello': {
        const session = String(payload.session ?? '');
        const alive = this.pc !== null && !['failed', 'closed'].includes(this.pc.connectionState);
        const known = session === this.peerSession && message.from === this.peerId;
        this.peerId = message.from;
        this.markPeerPresent();
        if (known && alive) return;
        this.peerSession = session;
        if (this.isOfferer(message.from)) await this.makeOffer();
        else await this.signal('hello', { session: this.session });
        return;
      }
      case 'offer': {
        this.peerId = message.from;
        this.peerSession = String(payload.session ?? this.peerSession ?? '');
        this.markPeerPresent();
        await this.acceptOffer(String(payload.offer_id), String(payload.sdp));
        return;
      }
      case 'answer': {
        if (payload.offer_id !== this.offerId || !this.pc) return;
        if (this.pc.signalingState !== 'have-local-offer') return;
        await this.pc.setRemoteDescription({ type: 'answer', sdp: String(payload.sdp) });
        await this.flushCandidates();
        return;
      }
      case 'candidate': {
        if (payload.offer_id !== this.offerId || !this.pc) return;
        const init = payload.candidate as RTCIceCandidateInit | undefined;
        if (!init?.candidate || !candidateAllowed(init.candidate, this.loopbackOnly)) return;
        if (this.pc.remoteDescription) await this.pc.addIceCandidate(init);
        else this.pendingCandidates.push(init);
        return;
      }
      case 'bye': {
        if (message.from !== this.peerId) return;
        // A reloaded page's keepalive `bye` can arrive after its successor's `hello`: ignore an old page's bye.
        if (payload.session && this.peerSession && payload.session !== this.peerSession) return;
        this.closePeer();
        this.peerSession = null;
        if (this.peerPresent) {
          this.peerPresent = false;
          this.events.peerPresence(false);
        }
        this.setConnection('connecting');
        return;
      }
    }
  }

  private markPeerPresent(): void {
    if (!this.peerPresent) {
      this.peerPresent = true;
      this.events.peerPresence(true);
    }
  }

  private isOfferer(peer: string): boolean {
    return this.me < peer;
  }

  // --- peer connection ---------------------------------------------------------------------

  private newPeer(offerId: string): RTCPeerConnection {
    this.closePeer();
    const pc = new RTCPeerConnection({ iceServers: [], iceCandidatePoolSize: 0 });
    this.pc = pc;
    this.offerId = offerId;
    this.pendingCandidates = [];
    const remoteStream = new MediaStream();
    pc.onicecandidate = (event) => {
      if (!event.candidate || this.pc !== pc) return;
      if (!candidateAllowed(event.candidate.candidate, this.loopbackOnly)) return;
      void this.signal('candidate', { offer_id: offerId, candidate: event.candidate.toJSON() }).catch(() => undefined);
    };
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
      if (state === 'connected') {
        this.setConnection('connected');
        void this.readMediaPath(pc);
      }
      else if ((state === 'disconnected' || state === 'failed') && this.peerPresent) {
        this.setConnection('reconnecting');
        if (state === 'failed') {
          if (this.peerId && this.isOfferer(this.peerId)) void this.makeOffer().catch(() => undefined);
          else void this.signal('hello', { session: this.session }).catch(() => undefined);
        }
      }
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
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    await this.signal('offer', { offer_id: offerId, sdp: stripCandidates(offer.sdp ?? ''), session: this.session });
  }

  private async acceptOffer(offerId: string, sdp: string): Promise<void> {
    const pc = this.newPeer(offerId);
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await this.attachLocalTracks(pc, false);
    await this.flushCandidates();
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    await this.signal('answer', { offer_id: offerId, sdp: stripCandidates(answer.sdp ?? '') });
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

  private async flushCandidates(): Promise<void> {
    const pending = this.pendingCandidates;
    this.pendingCandidates = [];
    for (const candidate of pending) await this.pc?.addIceCandidate(candidate);
  }

  private async replaceSenderTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    const transceiver = this.pc?.getTransceivers().find((t) => t.receiver.track.kind === kind);
    if (transceiver) await transceiver.sender.replaceTrack(track);
  }

  private closePeer(): void {
    if (this.pc) {
      this.pc.onicecandidate = null;
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

  private setConnection(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    this.events.connection(state);
  }
}
