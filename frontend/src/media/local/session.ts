/**
 * Local provider: a peer-to-peer WebRTC call between the two browsers, for a developer's machine and the
 * browser tests. `signaling.ts` carries the messages through the local API, `negotiation.ts` turns them into
 * one peer connection, and this class is the CallSession around them: the local camera and microphone,
 * the controls, and one function that turns signaling health, the media connection and presence into the
 * banner's state. There is no STUN or TURN (`iceServers: []`); only host candidates are sent or accepted.
 */
import type { CallDiagnostics, CallEvents, CallSession, CallSessionOptions, ConnectionState } from '../CallSession';
import { VIDEO_CONSTRAINTS } from '../constraints';
import { listCameras, nextCamera, stopStream } from '../devices';
import { loopbackOnlyMode } from './candidates';
import { Negotiation, randomId } from './negotiation';
import { SignalingTransport, trace } from './signaling';

export class LocalCallSession implements CallSession {
  readonly provider = 'local' as const;
  private readonly events: CallEvents;
  private readonly localVideo: HTMLVideoElement;
  private readonly page = randomId();
  private readonly transport: SignalingTransport;
  private readonly negotiation: Negotiation;
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

  constructor(options: CallSessionOptions) {
    const { join, elements } = options;
    this.events = options.events;
    this.localVideo = elements.localVideo;
    this.stream = options.stream;
    const me = join.attendee.attendee_id;
    this.transport = new SignalingTransport({
      meeting_id: join.meeting.MeetingId,
      attendee_id: me,
      join_token: join.attendee.join_token,
      page: this.page,
    });
    this.negotiation = new Negotiation({
      me,
      page: this.page,
      loopbackOnly: loopbackOnlyMode(),
      elements,
      localStream: () => this.stream,
      send: (type, payload) => this.transport.send(type, payload),
      events: {
        peerPresence: (present) => this.events.peerPresence(present),
        remoteVideo: (showing) => this.events.remoteVideo(showing),
        changed: () => this.refreshConnection(),
      },
    });
  }

  async start(): Promise<void> {
    this.videoDeviceId = this.stream.getVideoTracks()[0]?.getSettings().deviceId ?? null;
    const devices = await navigator.mediaDevices.enumerateDevices();
    this.cameraCount = devices.filter((d) => d.kind === 'videoinput').length;
    this.audioCount = devices.filter((d) => d.kind === 'audioinput').length;
    this.showLocal();
    this.refreshConnection();
    const present = await this.transport.arrive();
    if (present === null) return this.endedElsewhere();
    this.negotiation.followPresence(present);
    await this.negotiation.hello();
    void this.transport.run({
      message: async (message) => {
        try {
          await this.negotiation.handle(message);
        } catch (err) {
          // A failed step of one negotiation must not stop the loop; the next hello restarts it.
          trace('step failed', message.type, err);
        }
      },
      present: async (ids, recovered) => {
        this.negotiation.followPresence(ids);
        if (recovered) await this.negotiation.recover().catch(() => undefined);
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
      await this.negotiation.replaceTrack('video', null);
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
    this.transport.stop();
    const bye = this.gone ? Promise.resolve() : this.transport.send('bye', { page: this.page }, options.unloading ?? false).catch(() => undefined);
    this.negotiation.close();
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
      mediaPath: this.negotiation.mediaPath,
    };
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
    await this.negotiation.replaceTrack('video', track);
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

  /** One place decides what the banner says, from signaling health, the media connection and presence. */
  private refreshConnection(): void {
    const pcState = this.negotiation.connectionState;
    let next: ConnectionState;
    if (this.stopped) next = 'stopped';
    else if (this.pollFailures >= 2) next = 'reconnecting';
    else if (pcState === 'connected') next = 'connected';
    else if (this.negotiation.peerPresent && (pcState === 'disconnected' || pcState === 'failed')) next = 'reconnecting';
    else next = 'connecting';
    if (next === this.state) return;
    trace('state', next);
    this.state = next;
    this.events.connection(next);
  }
}
