/**
 * Chime provider: the real amazon-chime-sdk-js, built from the API's join response
 * (a CreateMeeting `Meeting` object and a CreateAttendee-shaped attendee).
 * This module is only ever loaded by dynamic import, so it is its own chunk.
 */
import {
  ConsoleLogger,
  DefaultDeviceController,
  DefaultMeetingSession,
  LogLevel,
  MeetingSessionConfiguration,
  MeetingSessionStatusCode,
  VoiceFocusDeviceTransformer,
} from 'amazon-chime-sdk-js';
import type {
  AudioInputDevice,
  AudioVideoFacade,
  AudioVideoObserver,
  MeetingSessionStatus,
  VideoTileState,
  VoiceFocusTransformDevice,
} from 'amazon-chime-sdk-js';
import type { CallDiagnostics, CallEvents, CallSession, CallSessionOptions, ConnectionState } from './CallSession';
import { nextCamera, stopStream } from './devices';

/**
 * The meeting as Chime's CreateMeeting returns it: the API passes it through whole, and its OpenAPI
 * document names only `MeetingId`. The SDK reads the rest (MediaPlacement, MediaRegion, ...); this page
 * reads only whether echo reduction is offered.
 */
interface ChimeMeeting {
  MeetingId: string;
  MeetingFeatures?: { Audio?: { EchoReduction?: string } };
}

/** Statuses after which the meeting itself is gone (as opposed to our own leave or a failure). */
const MEETING_GONE = new Set<MeetingSessionStatusCode>([
  MeetingSessionStatusCode.MeetingEnded,
  MeetingSessionStatusCode.AudioAttendeeRemoved,
]);

export class ChimeCallSession implements CallSession {
  readonly provider = 'chime' as const;
  readonly meetingSession: DefaultMeetingSession;
  private readonly audioVideo: AudioVideoFacade;
  private readonly events: CallEvents;
  private readonly elements: CallSessionOptions['elements'];
  private readonly selfAttendeeId: string;
  private readonly echoReductionOffered: boolean;
  private readonly joinInfo: { Meeting: unknown; Attendee: unknown };
  private readonly checkStream: MediaStream;
  private voiceFocus: VoiceFocusDeviceTransformer | null = null;
  private voiceFocusDevice: VoiceFocusTransformDevice | null = null;
  private echoReduction: CallDiagnostics['echoReduction'] = 'not-offered';
  private cameras: MediaDeviceInfo[] = [];
  private microphones: MediaDeviceInfo[] = [];
  private videoDeviceId: string | null = null;
  private videoEnabled = true;
  private state: ConnectionState = 'connecting';
  private readonly presentPeers = new Set<string>();
  private stopped = false;
  private readonly observer: AudioVideoObserver;

  constructor(options: CallSessionOptions) {
    const { attendee } = options.join;
    const meeting: ChimeMeeting = options.join.meeting;
    this.events = options.events;
    this.elements = options.elements;
    this.selfAttendeeId = attendee.attendee_id;
    this.checkStream = options.stream;
    this.echoReductionOffered = meeting.MeetingFeatures?.Audio?.EchoReduction === 'AVAILABLE';
    this.joinInfo = {
      Meeting: meeting,
      Attendee: { AttendeeId: attendee.attendee_id, ExternalUserId: attendee.external_user_id, JoinToken: attendee.join_token },
    };
    const logger = new ConsoleLogger('virtual-visit', LogLevel.WARN);
    // Web Audio is needed for Amazon Voice Focus (echo reduction).
    const deviceController = new DefaultDeviceController(logger, { enableWebAudio: this.echoReductionOffered });
    const configuration = new MeetingSessionConfiguration({ Meeting: meeting }, { Attendee: this.joinInfo.Attendee });
    this.meetingSession = new DefaultMeetingSession(configuration, logger, deviceController);
    this.audioVideo = this.meetingSession.audioVideo;
    this.observer = {
      audioVideoDidStartConnecting: (reconnecting: boolean) => this.setConnection(reconnecting ? 'reconnecting' : 'connecting'),
      audioVideoDidStart: () => this.setConnection('connected'),
      audioVideoDidStop: (status: MeetingSessionStatus) => this.didStop(status),
      connectionDidBecomePoor: () => this.setConnection('reconnecting'),
      connectionDidSuggestStopVideo: () => this.setConnection('reconnecting'),
      connectionDidBecomeGood: () => this.setConnection('connected'),
      videoTileDidUpdate: (tile: VideoTileState) => this.tileUpdated(tile),
      videoTileWasRemoved: () => this.events.remoteVideo(this.remoteTileShowing()),
    };
  }

  async start(): Promise<void> {
    // The device check's stream is released: the SDK opens its own devices.
    stopStream(this.checkStream);
    this.microphones = await this.audioVideo.listAudioInputDevices();
    this.cameras = await this.audioVideo.listVideoInputDevices();
    this.audioVideo.addObserver(this.observer);
    this.audioVideo.realtimeSubscribeToAttendeeIdPresence(this.presenceChanged);
    this.audioVideo.bindAudioElement(this.elements.remoteAudio).catch(() => undefined);
    await this.audioVideo.startAudioInput(await this.audioInputDevice());
    this.videoDeviceId = this.cameras[0]?.deviceId ?? null;
    if (this.videoDeviceId) await this.audioVideo.startVideoInput(this.videoDeviceId);
    else this.videoEnabled = false;
    this.audioVideo.start();
    if (this.videoEnabled) this.audioVideo.startLocalVideoTile();
  }

  setMuted(muted: boolean): void {
    if (muted) this.audioVideo.realtimeMuteLocalAudio();
    else this.audioVideo.realtimeUnmuteLocalAudio();
  }

  async setVideoEnabled(enabled: boolean): Promise<void> {
    if (enabled === this.videoEnabled) return;
    if (enabled) {
      if (!this.videoDeviceId) return;
      await this.audioVideo.startVideoInput(this.videoDeviceId);
      this.audioVideo.startLocalVideoTile();
    } else {
      this.audioVideo.stopLocalVideoTile();
      await this.audioVideo.stopVideoInput(); // releases the camera
    }
    this.videoEnabled = enabled;
  }

  async switchCamera(): Promise<boolean> {
    this.cameras = await this.audioVideo.listVideoInputDevices();
    const next = nextCamera(this.cameras, this.videoDeviceId);
    if (next === null) return false;
    this.videoDeviceId = next;
    if (this.videoEnabled) await this.audioVideo.startVideoInput(next); // camera off: the next "on" opens this one
    return true;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    stopStream(this.checkStream); // already stopped once started; not when stopped before
    this.audioVideo.realtimeUnsubscribeToAttendeeIdPresence(this.presenceChanged);
    this.audioVideo.stopLocalVideoTile();
    this.audioVideo.stop();
    this.audioVideo.removeObserver(this.observer);
    await this.audioVideo.stopVideoInput();
    await this.audioVideo.stopAudioInput();
    await this.voiceFocusDevice?.stop();
    this.audioVideo.unbindAudioElement();
    this.elements.localVideo.srcObject = null;
    this.elements.remoteVideo.srcObject = null;
    this.setConnection('stopped');
  }

  diagnostics(): CallDiagnostics {
    const tracks = [this.elements.localVideo.srcObject]
      .filter((s): s is MediaStream => s instanceof MediaStream)
      .flatMap((s) => s.getTracks());
    return {
      provider: 'chime',
      muted: this.audioVideo.realtimeIsLocalAudioMuted(),
      videoEnabled: this.videoEnabled,
      videoDeviceId: this.videoDeviceId,
      videoDevices: this.cameras.length,
      audioDevices: this.microphones.length,
      connection: this.state,
      echoReduction: this.echoReduction,
      liveLocalTracks: tracks.filter((track) => track.readyState === 'live').length,
    };
  }

  /** The microphone, wrapped in Amazon Voice Focus with echo reduction when the meeting offers it. */
  private async audioInputDevice(): Promise<AudioInputDevice> {
    const microphone = this.microphones[0]?.deviceId ?? 'default';
    if (!this.echoReductionOffered) return microphone;
    try {
      const spec = { name: 'ns_es' as const };
      if (!(await VoiceFocusDeviceTransformer.isSupported())) {
        this.echoReduction = 'unsupported';
        return microphone;
      }
      this.voiceFocus = await VoiceFocusDeviceTransformer.create(spec, {}, undefined, { Meeting: this.joinInfo.Meeting });
      if (!this.voiceFocus.isSupported()) {
        this.echoReduction = 'unsupported';
        return microphone;
      }
      this.voiceFocusDevice = (await this.voiceFocus.createTransformDevice(microphone)) ?? null;
      if (!this.voiceFocusDevice) {
        this.echoReduction = 'unsupported';
        return microphone;
      }
      this.echoReduction = 'on';
      return this.voiceFocusDevice;
    } catch {
      // Voice Focus assets could not load: the call goes on with the browser's own echo cancellation.
      this.echoReduction = 'unsupported';
      return microphone;
    }
  }

  private readonly presenceChanged = (attendeeId: string, present: boolean): void => {
    // Content-share attendees carry a suffix; only people count.
    if (attendeeId === this.selfAttendeeId || attendeeId.includes('#content')) return;
    const before = this.presentPeers.size > 0;
    if (present) this.presentPeers.add(attendeeId);
    else this.presentPeers.delete(attendeeId);
    const after = this.presentPeers.size > 0;
    if (after !== before) this.events.peerPresence(after);
  };

  private tileUpdated(tile: VideoTileState): void {
    if (tile.tileId === null) return;
    if (tile.localTile) {
      this.audioVideo.bindVideoElement(tile.tileId, this.elements.localVideo);
      return;
    }
    if (tile.isContent) return;
    this.audioVideo.bindVideoElement(tile.tileId, this.elements.remoteVideo);
    this.events.remoteVideo(tile.active);
  }

  private remoteTileShowing(): boolean {
    return this.audioVideo.getAllRemoteVideoTiles().some((tile) => tile.state().active);
  }

  private didStop(status: MeetingSessionStatus): void {
    const code = status.statusCode();
    if (this.stopped) return;
    if (MEETING_GONE.has(code)) {
      void this.stop();
      this.events.ended();
      return;
    }
    if (code !== MeetingSessionStatusCode.Left) this.setConnection('reconnecting');
  }

  private setConnection(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    this.events.connection(state);
  }
}
