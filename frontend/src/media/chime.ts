/**
 * Chime provider: the real amazon-chime-sdk-js, built from the API's join response
 * (a CreateMeeting `Meeting` object and a CreateAttendee-shaped attendee).
 * This module is only ever loaded by dynamic import, so it is its own chunk.
 *
 * - Everyone in the meeting (R38): presence comes with each attendee's external user id, whose prefix says
 *   their role; each remote video tile plays in that person's own element.
 * - Captions (R39): the SDK's transcription controller delivers Chime's transcript events (the data messages
 *   of topic `aws:chime:transcription`); its TranscriptionStatus says when captions start and stop, and each
 *   Transcript's results become caption lines.
 * - A weak connection (R40): the SDK's connection-health policies say when the link is too poor for video
 *   (`connectionDidSuggestStopVideo`, `connectionDidBecomePoor`); the page warns, and the remote videos are
 *   paused (`pauseVideoTile`: Chime stops sending them), so the sound keeps the bandwidth, until
 *   `connectionDidBecomeGood`. A tile the SDK's own downlink policy pauses shows as paused too.
 */
import {
  ConsoleLogger,
  DataMessage,
  DefaultDeviceController,
  DefaultMeetingSession,
  LogLevel,
  MeetingSessionConfiguration,
  MeetingSessionStatusCode,
  Transcript,
  TranscriptionStatus,
  TranscriptionStatusType,
  VoiceFocusDeviceTransformer,
} from 'amazon-chime-sdk-js';
import type {
  AudioInputDevice,
  AudioVideoFacade,
  AudioVideoObserver,
  MeetingSessionStatus,
  TranscriptEvent,
  VideoTileState,
  VoiceFocusTransformDevice,
} from 'amazon-chime-sdk-js';
// The SDK's own wire format for transcripts, for the browser tests' hook below (the SDK bundles it anyway).
import { SdkTranscriptFrame, SdkTranscriptItem, SdkTranscriptionStatus } from 'amazon-chime-sdk-js/build/signalingprotocol/SignalingProtocol';
import type { CallDiagnostics, CallEvents, CallSession, CallSessionOptions, ConnectionState } from './CallSession';
import { partsOf } from './captions';
import { nextCamera, stopStream } from './devices';
import { roleOf } from './participants';
import type { Participant } from './participants';

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

/** Transcription statuses after which captions are running, and after which they are not. */
const CAPTIONS_RUNNING = new Set<TranscriptionStatusType>([TranscriptionStatusType.STARTED, TranscriptionStatusType.RESUMED]);
const CAPTIONS_STOPPED = new Set<TranscriptionStatusType>([TranscriptionStatusType.STOPPED, TranscriptionStatusType.FAILED]);

export class ChimeCallSession implements CallSession {
  readonly provider = 'chime' as const;
  readonly captionsAvailable = true;
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
  /** Who else is here, by attendee id. */
  private readonly present = new Map<string, Participant>();
  /** Remote tiles this page paused because its link was weak (R40), to resume when it is good again. */
  private readonly weakPaused = new Set<number>();
  private weak = false;
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
      connectionDidBecomePoor: () => this.setWeak(true),
      connectionDidSuggestStopVideo: () => this.setWeak(true),
      connectionDidBecomeGood: () => this.setWeak(false),
      videoTileDidUpdate: (tile: VideoTileState) => this.tileUpdated(tile),
      videoTileWasRemoved: (tileId: number) => this.tileRemoved(tileId),
    };
    // The browser tests feed the SDK's own transcription path from here (tests/browser/test_captions.py).
    const testing = window as unknown as { __VV_TEST_HOOKS__?: boolean; __vvChime?: unknown };
    if (testing.__VV_TEST_HOOKS__) {
      testing.__vvChime = { meetingSession: this.meetingSession, DataMessage, SdkTranscriptFrame, SdkTranscriptItem, SdkTranscriptionStatus };
    }
  }

  async start(): Promise<void> {
    // The device check's stream is released: the SDK opens its own devices.
    stopStream(this.checkStream);
    this.microphones = await this.audioVideo.listAudioInputDevices();
    this.cameras = await this.audioVideo.listVideoInputDevices();
    this.audioVideo.addObserver(this.observer);
    this.audioVideo.realtimeSubscribeToAttendeeIdPresence(this.presenceChanged);
    this.audioVideo.transcriptionController?.subscribeToTranscriptEvent(this.transcriptReceived);
    // Chime mixes everyone's sound into one stream: one element plays it.
    this.audioVideo.bindAudioElement(this.elements.audioOf('meeting')).catch(() => undefined);
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
    this.audioVideo.transcriptionController?.unsubscribeFromTranscriptEvent(this.transcriptReceived);
    this.audioVideo.stopLocalVideoTile();
    this.audioVideo.stop();
    this.audioVideo.removeObserver(this.observer);
    await this.audioVideo.stopVideoInput();
    await this.audioVideo.stopAudioInput();
    await this.voiceFocusDevice?.stop();
    this.audioVideo.unbindAudioElement();
    this.elements.localVideo.srcObject = null;
    for (const attendeeId of this.present.keys()) this.elements.videoOf(attendeeId).srcObject = null;
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
      weak: this.weak,
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

  private readonly presenceChanged = (attendeeId: string, present: boolean, externalUserId?: string): void => {
    // Content shares and anyone not of this visit carry no role; only people count.
    const role = roleOf(externalUserId);
    if (attendeeId === this.selfAttendeeId || role === null) return;
    if (present === this.present.has(attendeeId)) return;
    if (present) this.present.set(attendeeId, { attendeeId, role });
    else this.present.delete(attendeeId);
    this.events.participants([...this.present.values()]);
  };

  /** R39: the SDK's transcript events: whether captions run, and what is said. */
  private readonly transcriptReceived = (event: TranscriptEvent): void => {
    if (event instanceof TranscriptionStatus) {
      if (CAPTIONS_RUNNING.has(event.type)) this.events.captions({ type: 'status', on: true });
      else if (CAPTIONS_STOPPED.has(event.type)) this.events.captions({ type: 'status', on: false });
    } else if (event instanceof Transcript) {
      for (const part of partsOf(event.results)) this.events.captions({ type: 'part', part });
    }
  };

  private tileUpdated(tile: VideoTileState): void {
    if (tile.tileId === null) return;
    if (tile.localTile) {
      this.audioVideo.bindVideoElement(tile.tileId, this.elements.localVideo);
      return;
    }
    const attendeeId = tile.boundAttendeeId;
    if (tile.isContent || !attendeeId) return;
    this.audioVideo.bindVideoElement(tile.tileId, this.elements.videoOf(attendeeId));
    if (this.weak && !tile.paused) {
      this.weakPaused.add(tile.tileId);
      this.audioVideo.pauseVideoTile(tile.tileId);
      return;
    }
    this.events.videoPaused(attendeeId, tile.paused);
    this.events.remoteVideo(attendeeId, tile.active && !tile.paused);
  }

  private tileRemoved(tileId: number): void {
    this.weakPaused.delete(tileId);
    for (const attendeeId of this.present.keys()) {
      const showing = this.audioVideo.getAllRemoteVideoTiles().some((t) => t.state().boundAttendeeId === attendeeId && t.state().active);
      this.events.remoteVideo(attendeeId, showing);
    }
  }

  /** R40: the link is too weak for video (or good again): say so, and pause the remote videos to keep the sound. */
  private setWeak(weak: boolean): void {
    if (weak === this.weak) return;
    this.weak = weak;
    this.events.weak(weak);
    if (weak) {
      for (const tile of this.audioVideo.getAllRemoteVideoTiles()) {
        const state = tile.state();
        if (state.tileId === null || state.isContent || state.paused) continue;
        this.weakPaused.add(state.tileId);
        this.audioVideo.pauseVideoTile(state.tileId);
      }
    } else {
      for (const tileId of this.weakPaused) this.audioVideo.unpauseVideoTile(tileId);
      this.weakPaused.clear();
    }
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
