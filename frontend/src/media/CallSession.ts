/**
 * One media interface for the call window and the join page. Two providers implement it:
 * Chime (amazon-chime-sdk-js, in AWS) and Local (peer-to-peer WebRTC through the local API).
 * The API's join response says which one; `openCallSession` loads only that provider's chunk.
 */
import type { JoinResponse } from '../types';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'stopped';

export interface CallEvents {
  /** The other party's presence in the meeting changed. */
  peerPresence(present: boolean): void;
  /** Remote video started (true) or stopped (false) showing in the remote element. */
  remoteVideo(showing: boolean): void;
  /** Connection quality: a drop shows the reconnecting banner. */
  connection(state: ConnectionState): void;
  /** The meeting was ended by someone else (hang-up, clock-out, expiry). */
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
  /** Camera and microphone already opened by the device check (the local provider reuses them). */
  stream: MediaStream | null;
}

export interface CallDiagnostics {
  provider: 'chime' | 'local';
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
  readonly provider: 'chime' | 'local';
  start(): Promise<void>;
  setMuted(muted: boolean): void;
  setVideoEnabled(enabled: boolean): Promise<void>;
  /** Moves to the next camera (front/back on phones). Returns false when there is only one. */
  switchCamera(): Promise<boolean>;
  /** Leaves the meeting and stops every local track. */
  stop(options?: { unloading?: boolean }): Promise<void>;
  diagnostics(): CallDiagnostics;
}

/** Builds the provider the join response names, loading its code on demand. */
export async function openCallSession(options: CallSessionOptions): Promise<CallSession> {
  if (options.join.provider === 'chime') {
    const { ChimeCallSession } = await import('./chime');
    return new ChimeCallSession(options);
  }
  const { LocalCallSession } = await import('./local');
  return new LocalCallSession(options);
}

/** Stops every track of a stream (camera light off). */
export function stopStream(stream: MediaStream | null | undefined): void {
  stream?.getTracks().forEach((track) => track.stop());
}

/** Lists cameras; labels are only filled once permission was granted. */
export async function listCameras(): Promise<MediaDeviceInfo[]> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((d) => d.kind === 'videoinput');
}
