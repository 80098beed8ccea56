/**
 * The one media interface of the call window and the join page. Two providers implement it: Chime
 * (amazon-chime-sdk-js, in AWS) and local (peer-to-peer WebRTC through the local API). This file names
 * no provider; `providers.ts` builds the one the API's join response names.
 */
import type { JoinResponse } from '../api/types';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'stopped';
export type Provider = JoinResponse['provider'];

export interface CallEvents {
  /** The other party's presence in the meeting changed. */
  peerPresence(present: boolean): void;
  /** Remote video started (true) or stopped (false) showing in the remote element. */
  remoteVideo(showing: boolean): void;
  /** Connection quality: a drop shows the reconnecting banner. */
  connection(state: ConnectionState): void;
  /** The meeting was ended by someone else (hang-up, clock-out, expiry, or the provider). */
  ended(): void;
}

export interface CallElements {
  localVideo: HTMLVideoElement;
  remoteVideo: HTMLVideoElement;
  remoteAudio: HTMLAudioElement;
}

export interface CallSessionOptions {
  join: JoinResponse;
  elements: CallElements;
  events: CallEvents;
  /** Camera and microphone, opened after the API allowed the join (R42); the session owns them from here. */
  stream: MediaStream;
}

export interface CallDiagnostics {
  provider: Provider;
  muted: boolean;
  videoEnabled: boolean;
  videoDeviceId: string | null;
  videoDevices: number;
  audioDevices: number;
  connection: ConnectionState;
  echoReduction: 'on' | 'not-offered' | 'unsupported';
  liveLocalTracks: number;
  /** Local provider: the selected ICE candidate pair, "<type> <address>:<port> -> <type> <address>:<port>". */
  mediaPath?: string | null;
}

export interface CallSession {
  readonly provider: Provider;
  start(): Promise<void>;
  setMuted(muted: boolean): void;
  setVideoEnabled(enabled: boolean): Promise<void>;
  /** Moves to the next camera (front/back on phones). Returns false when there is only one. */
  switchCamera(): Promise<boolean>;
  /** Leaves the meeting and stops every local track; a second call does nothing. */
  stop(options?: { unloading?: boolean }): Promise<void>;
  diagnostics(): CallDiagnostics;
}
