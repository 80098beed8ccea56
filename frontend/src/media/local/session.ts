/**
 * Local provider: a peer-to-peer WebRTC call between the browsers, for a developer's machine and the browser
 * tests. A call of three (R38) is a small mesh: one Negotiation (negotiation.ts) with each other attendee.
 * `signaling.ts` carries the messages through the local API, and this class is the CallSession around them:
 * the local camera and microphone, the controls, who is present, one function that turns signaling health and
 * the media connections into the banner's state, and the weak-link watch (R40): once a second each connection's
 * statistics are judged (connectionHealth.ts), and a link too weak for video asks that peer to pause its video,
 * so the sound keeps flowing. There is no STUN or TURN (`iceServers: []`); only host candidates are used.
 */
import type { CallDiagnostics, CallEvents, CallSession, CallSessionOptions, ConnectionState } from '../CallSession';
import { healthy, isBad, judge, readCounters, sampleBetween } from '../connectionHealth';
import type { Health, LinkCounters } from '../connectionHealth';
import { VIDEO_CONSTRAINTS } from '../constraints';
import { listCameras, nextCamera, stopStream } from '../devices';
import { roleOf } from '../participants';
import type { Participant } from '../participants';
import { loopbackOnlyMode } from './candidates';
import { Negotiation, randomId } from './negotiation';
import { SignalingTransport, trace } from './signaling';
import type { SignalMessage } from './signaling';

const HEALTH_EVERY_MS = 1000;

interface Peer {
  negotiation: Negotiation;
  role: Participant['role'] | null;
  /** Listed by the server lately (it polls), or connected. */
  present: boolean;
  counters: LinkCounters | null;
  health: Health;
}

export class LocalCallSession implements CallSession {
  readonly provider = 'local' as const;
  readonly captionsAvailable = false; // R39: nothing transcribes here; the Captions button is absent
  private readonly events: CallEvents;
  private readonly elements: CallSessionOptions['elements'];
  private readonly localVideo: HTMLVideoElement;
  private readonly me: string;
  private readonly page = randomId();
  private readonly transport: SignalingTransport;
  private readonly peers = new Map<string, Peer>();
  private stream: MediaStream;
  private pollFailures = 0;
  private stopped = false;
  /** The server said the meeting is gone: there is nobody to say goodbye to. */
  private gone = false;
  private muted = false;
  private videoEnabled = true;
  private videoDeviceId: string | null = null;
  private cameraCount = 0;
  private audioCount = 0;
  private state: ConnectionState = 'connecting';
  private weak = false;
  private lastParticipants = '';
  private healthTimer: number | null = null;

  constructor(options: CallSessionOptions) {
    const { join, elements } = options;
    this.events = options.events;
    this.elements = elements;
    this.localVideo = elements.localVideo;
    this.stream = options.stream;
    this.me = join.attendee.attendee_id;
    this.transport = new SignalingTransport({
      meeting_id: join.meeting.MeetingId,
      attendee_id: this.me,
      join_token: join.attendee.join_token,
      page: this.page,
    });
  }

  async start(): Promise<void> {
    this.videoDeviceId = this.stream.getVideoTracks()[0]?.getSettings().deviceId ?? null;
    const devices = await navigator.mediaDevices.enumerateDevices();
    this.cameraCount = devices.filter((d) => d.kind === 'videoinput').length;
    this.audioCount = devices.filter((d) => d.kind === 'audioinput').length;
    this.showLocal();
    this.refreshConnection();
    const roster = await this.transport.arrive();
    if (roster === null) return this.endedElsewhere();
    this.followRoster(roster);
    await this.transport.send('hello', { page: this.page, has: null }); // to everyone already here
    this.healthTimer = window.setInterval(() => void this.watchHealth(), HEALTH_EVERY_MS);
    void this.transport.run({
      message: async (message) => {
        try {
          await this.handle(message);
        } catch (err) {
          // A failed step of one negotiation must not stop the loop; the next hello restarts it.
          trace('step failed', message.type, err);
        }
      },
      present: async (roster, recovered) => {
        this.followRoster(roster);
        if (recovered) {
          for (const peer of this.peers.values()) {
            if (peer.present && !peer.negotiation.mediaFlowing) await peer.negotiation.restart().catch(() => undefined);
          }
        }
        this.refreshConnection();
      },
      ended: () => this.endedElsewhere(),
      health: (failures) => {
        this.pollFailures = failures;
        this.refreshConnection();
      },
    });
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    this.stream.getAudioTracks().forEach((track) => (track.enabled = !muted));
  }

  async setVideoEnabled(enabled: boolean): Promise<void> {
    if (enabled === this.videoEnabled) return;
    if (enabled) {
      await this.useCamera(this.videoDeviceId);
    } else {
      // Stop the camera itself (its light goes off), not only the sending.
      this.dropVideoTracks();
      await Promise.all([...this.peers.values()].map((peer) => peer.negotiation.replaceTrack('video', null)));
    }
    this.videoEnabled = enabled;
    this.showLocal();
  }

  async switchCamera(): Promise<boolean> {
    const cameras = await listCameras();
    this.cameraCount = cameras.length;
    const next = nextCamera(cameras, this.videoDeviceId);
    if (next === null) return false;
    this.videoDeviceId = next;
    if (this.videoEnabled) await this.useCamera(next); // camera off: the next "on" opens this one
    return true;
  }

  async stop(options: { unloading?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.healthTimer !== null) window.clearInterval(this.healthTimer);
    this.transport.stop();
    const bye = this.gone ? Promise.resolve() : this.transport.send('bye', { page: this.page }, options.unloading ?? false).catch(() => undefined);
    this.peers.forEach((peer) => peer.negotiation.close());
    stopStream(this.stream);
    this.localVideo.srcObject = null;
    this.refreshConnection();
    if (!options.unloading) await bye;
  }

  diagnostics(): CallDiagnostics {
    const paths = Object.fromEntries([...this.peers].map(([id, peer]) => [id, peer.negotiation.mediaPath]));
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
      mediaPath: Object.values(paths).find((path) => path) ?? null,
      mediaPaths: paths,
      weak: this.weak,
    };
  }

  private async handle(message: SignalMessage): Promise<void> {
    const known = this.peers.get(message.from);
    // A page's first word makes its peer; anything else from a peer we have no connection with is stale.
    if (!known && message.type !== 'hello' && message.type !== 'offer') return;
    const peer = known ?? this.addPeer(message.from, null);
    await peer.negotiation.handle(message);
    if (message.type === 'hello' || message.type === 'offer') this.setPresent(peer, true);
  }

  private addPeer(id: string, role: Participant['role'] | null): Peer {
    const negotiation = new Negotiation({
      me: this.me,
      peer: id,
      page: this.page,
      loopbackOnly: loopbackOnlyMode(),
      elements: this.elements,
      localStream: () => this.stream,
      send: (type, payload) => this.transport.send(type, payload),
      events: {
        remoteVideo: (showing) => this.events.remoteVideo(id, showing),
        gone: () => {
          const peer = this.peers.get(id);
          if (peer) this.setPresent(peer, false);
          this.refreshConnection();
        },
        changed: () => {
          const peer = this.peers.get(id);
          if (peer && negotiationConnected(peer)) this.setPresent(peer, true);
          this.refreshConnection();
        },
      },
    });
    const peer: Peer = { negotiation, role, present: false, counters: null, health: healthy };
    this.peers.set(id, peer);
    return peer;
  }

  /** The server's list of who polls: new peers are met; a peer it no longer lists, with no media flowing, left. */
  private followRoster(roster: Record<string, string>): void {
    for (const [id, externalUserId] of Object.entries(roster)) {
      if (id === this.me) continue;
      const peer = this.peers.get(id) ?? this.addPeer(id, null);
      peer.role ??= roleOf(externalUserId);
      this.setPresent(peer, true);
    }
    for (const [id, peer] of this.peers) {
      if (!(id in roster) && peer.present && !peer.negotiation.mediaFlowing) {
        trace('peer not heard from', id);
        peer.negotiation.close();
        this.setPresent(peer, false);
      }
    }
  }

  private setPresent(peer: Peer, present: boolean): void {
    peer.present = present;
    if (!present) {
      peer.health = healthy;
      peer.counters = null;
    }
    this.announceParticipants();
  }

  private announceParticipants(): void {
    const list: Participant[] = [];
    for (const [attendeeId, peer] of this.peers) {
      if (peer.present && peer.role) list.push({ attendeeId, role: peer.role });
    }
    const key = JSON.stringify(list);
    if (key === this.lastParticipants) return;
    this.lastParticipants = key;
    this.events.participants(list);
  }

  /** R40: once a second, each connection's link is judged; a weak one pauses that peer's video, keeping its sound. */
  private async watchHealth(): Promise<void> {
    if (this.stopped) return;
    const at = performance.now();
    for (const [id, peer] of this.peers) {
      const stats = await peer.negotiation.stats().catch(() => null);
      if (!stats) continue;
      const counters = readCounters(stats, at);
      if (peer.counters) {
        const bad = isBad(sampleBetween(peer.counters, counters), this.videoEnabled && peer.negotiation.sendingVideo);
        const before = peer.health.weak;
        peer.health = judge(peer.health, bad, at);
        if (peer.health.weak !== before) {
          trace('link', id, peer.health.weak ? 'weak' : 'good again');
          this.events.videoPaused(id, peer.health.weak);
          void peer.negotiation.askToPauseVideo(peer.health.weak).catch(() => undefined);
        }
      }
      peer.counters = counters;
    }
    const weak = [...this.peers.values()].some((peer) => peer.present && peer.health.weak);
    if (weak !== this.weak) {
      this.weak = weak;
      this.events.weak(weak);
    }
  }

  /** The one path for a camera: turning it on and switching both open `deviceId` and send it in place of the old one. */
  private async useCamera(deviceId: string | null): Promise<void> {
    const video: MediaTrackConstraints = { ...VIDEO_CONSTRAINTS };
    if (deviceId) video.deviceId = { exact: deviceId };
    const fresh = await navigator.mediaDevices.getUserMedia({ video });
    const track = fresh.getVideoTracks()[0];
    this.dropVideoTracks();
    this.stream.addTrack(track);
    this.videoDeviceId = track.getSettings().deviceId ?? deviceId;
    await Promise.all([...this.peers.values()].map((peer) => peer.negotiation.replaceTrack('video', track)));
    this.showLocal();
  }

  private dropVideoTracks(): void {
    for (const old of this.stream.getVideoTracks()) {
      old.stop();
      this.stream.removeTrack(old);
    }
  }

  private endedElsewhere(): void {
    if (this.stopped) return;
    this.gone = true;
    void this.stop();
    this.events.ended();
  }

  private showLocal(): void {
    this.localVideo.srcObject = this.videoEnabled ? this.stream : null;
    this.localVideo.muted = true;
    if (this.videoEnabled) void this.localVideo.play().catch(() => undefined);
  }

  /** One place decides what the banner says, from signaling health, the media connections and presence. */
  private refreshConnection(): void {
    const present = [...this.peers.values()].filter((peer) => peer.present);
    let next: ConnectionState;
    if (this.stopped) next = 'stopped';
    else if (this.pollFailures >= 2) next = 'reconnecting';
    else if (present.some((peer) => ['disconnected', 'failed'].includes(peer.negotiation.connectionState ?? ''))) next = 'reconnecting';
    else if (present.length > 0 && present.every(negotiationConnected)) next = 'connected';
    else next = 'connecting';
    if (next === this.state) return;
    trace('state', next);
    this.state = next;
    this.events.connection(next);
  }
}

function negotiationConnected(peer: Peer): boolean {
  return peer.negotiation.connectionState === 'connected';
}
