/**
 * The one media interface of the call window and the join page. Two providers implement it: Chime
 * (amazon-chime-sdk-js, in AWS) and local (a small mesh of peer-to-peer WebRTC connections through the local
 * API). This file names no provider; `providers.ts` builds the one the API's join response names.
 *
 * A call holds up to three people (R38): the caregiver, the client and a guest. Every remote person has a
 * video element and a tile of their own; the page labels each with the person's first name.
 */
import type { JoinResponse } from '../api/types';
import type { CaptionPart } from './captions';
import type { Participant } from './participants';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'stopped';
export type Provider = JoinResponse['provider'];

export type CaptionEvent = { type: 'status'; on: boolean } | { type: 'part'; part: CaptionPart };

export interface CallEvents {
  /** Who else is in the meeting now (self excluded), each time that changes. */
  participants(list: Participant[]): void;
  /** One person's video started (true) or stopped (false) showing in their element. */
  remoteVideo(attendeeId: string, showing: boolean): void;
  /** R40: one person's video was paused to keep the sound clear (true), or resumed. */
  videoPaused(attendeeId: string, paused: boolean): void;
  /** Connection quality: a drop shows the reconnecting banner. */
  connection(state: ConnectionState): void;
  /** R40: this side's link is too weak for video (true), or good again. */
  weak(weak: boolean): void;
  /** R39: captions turned on or off for the call, and what is being said. */
  captions(event: CaptionEvent): void;
  /** The meeting was ended by someone else (hang-up, clock-out, expiry, or the provider). */
  ended(): void;
}

export interface CallElements {
  localVideo: HTMLVideoElement;
  /** One remote person's video: made on first ask and kept, so a redraw never interrupts it. */
  videoOf(attendeeId: string): HTMLVideoElement;
  /** One remote person's sound (the local provider plays each peer's own; Chime mixes everyone into one). */
  audioOf(attendeeId: string): HTMLAudioElement;
  /** Every sound element made so far ("Turn on sound" plays them all). */
  audios(): HTMLAudioElement[];
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
  /** Local provider: the selected ICE candidate pair of each peer, "<type> <address>:<port> -> ...". */
  mediaPath?: string | null;
  mediaPaths?: Record<string, string | null>;
  /** R40: whether this side judges its link too weak for video. */
  weak?: boolean;
}

export interface CallSession {
  readonly provider: Provider;
  /** R39: whether this provider can caption at all (the local one cannot: its Captions button is absent). */
  readonly captionsAvailable: boolean;
  start(): Promise<void>;
  setMuted(muted: boolean): void;
  setVideoEnabled(enabled: boolean): Promise<void>;
  /** Moves to the next camera (front/back on phones). Returns false when there is only one. */
  switchCamera(): Promise<boolean>;
  /** Leaves the meeting and stops every local track; a second call does nothing. */
  stop(options?: { unloading?: boolean }): Promise<void>;
  diagnostics(): CallDiagnostics;
}
