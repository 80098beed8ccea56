/**
 * The call stage's part of a call page's state: the people on it (one tile each, R38), the connection and its
 * weakness (R40), the captions (R39) and the controls (R18).
 */
import { addCaption } from '../media/captions';
import type { CaptionLine, CaptionPart } from '../media/captions';
import type { ConnectionState } from '../media/CallSession';
import { ordered } from '../media/participants';
import type { Participant, Role } from '../media/participants';

export interface Tile {
  attendeeId: string;
  role: Role;
  /** Their video is showing frames. */
  showing: boolean;
  /** R40: their video paused to keep the sound clear. */
  paused: boolean;
}

export interface Captions {
  /** The provider can caption (Chime); the local provider cannot, and the button is absent. */
  available: boolean;
  on: boolean;
  /** A change is on its way to the API. */
  busy: boolean;
  lines: CaptionLine[];
  error: string | null;
}

export interface StageState {
  connection: ConnectionState;
  tiles: Tile[];
  /** R40: this side's link is too weak for video. */
  weak: boolean;
  captions: Captions;
  muted: boolean;
  videoOn: boolean;
  /** A camera change is under way: the camera buttons wait. */
  cameraBusy: boolean;
  noOtherCamera: boolean;
  /** The browser would not play the other side's sound without a tap ("Turn on sound"). */
  soundBlocked: boolean;
  /** The stage fills the screen (its labels stay visible: R18). */
  fullscreen: boolean;
}

export type StageEvent =
  | { type: 'connection'; state: ConnectionState }
  | { type: 'participants'; list: Participant[] }
  | { type: 'remote-video'; attendeeId: string; showing: boolean }
  | { type: 'video-paused'; attendeeId: string; paused: boolean }
  | { type: 'weak'; weak: boolean }
  | { type: 'captions-available'; available: boolean; on: boolean }
  | { type: 'captions-busy' }
  | { type: 'captions'; on: boolean }
  | { type: 'captions-failed'; message: string }
  | { type: 'caption'; part: CaptionPart }
  | { type: 'muted'; muted: boolean }
  | { type: 'camera-busy' }
  | { type: 'camera'; on: boolean }
  | { type: 'switched'; switched: boolean }
  | { type: 'sound-blocked'; blocked: boolean }
  | { type: 'fullscreen'; on: boolean };

export const initialStage: StageState = {
  connection: 'connecting',
  tiles: [],
  weak: false,
  captions: { available: false, on: false, busy: false, lines: [], error: null },
  muted: false,
  videoOn: true,
  cameraBusy: false,
  noOtherCamera: false,
  soundBlocked: false,
  fullscreen: false,
};

/** Whether any remote video is showing (the stage then drops its placeholder). */
export function remoteShowing(stage: StageState): boolean {
  return stage.tiles.some((tile) => tile.showing);
}

function withTile(stage: StageState, attendeeId: string, change: Partial<Tile>): StageState {
  if (!stage.tiles.some((tile) => tile.attendeeId === attendeeId)) return stage;
  return { ...stage, tiles: stage.tiles.map((tile) => (tile.attendeeId === attendeeId ? { ...tile, ...change } : tile)) };
}

function withCaptions(stage: StageState, change: Partial<Captions>): StageState {
  return { ...stage, captions: { ...stage.captions, ...change } };
}

export function reduceStage(stage: StageState, event: StageEvent): StageState {
  switch (event.type) {
    case 'connection':
      return { ...stage, connection: event.state };
    case 'participants': {
      const before = new Map(stage.tiles.map((tile) => [tile.attendeeId, tile]));
      const tiles = ordered(event.list).map(
        (p): Tile => before.get(p.attendeeId) ?? { attendeeId: p.attendeeId, role: p.role, showing: false, paused: false },
      );
      return { ...stage, tiles };
    }
    case 'remote-video': {
      const next = withTile(stage, event.attendeeId, { showing: event.showing });
      return { ...next, soundBlocked: remoteShowing(next) && stage.soundBlocked };
    }
    case 'video-paused':
      return withTile(stage, event.attendeeId, { paused: event.paused });
    case 'weak':
      return { ...stage, weak: event.weak };
    case 'captions-available':
      return withCaptions(stage, { available: event.available, on: event.available && event.on });
    case 'captions-busy':
      return withCaptions(stage, { busy: true, error: null });
    case 'captions':
      return withCaptions(stage, { on: event.on, busy: false, error: null, lines: event.on ? stage.captions.lines : [] });
    case 'captions-failed':
      return withCaptions(stage, { busy: false, error: event.message });
    case 'caption':
      // A transcript arriving means captions are on, even for a page that joined after they were turned on.
      return withCaptions(stage, { on: true, lines: addCaption(stage.captions.lines, event.part) });
    case 'muted':
      return { ...stage, muted: event.muted };
    case 'camera-busy':
      return { ...stage, cameraBusy: true, noOtherCamera: false };
    case 'camera':
      return { ...stage, videoOn: event.on, cameraBusy: false };
    case 'switched':
      return { ...stage, cameraBusy: false, noOtherCamera: !event.switched };
    case 'sound-blocked':
      return { ...stage, soundBlocked: event.blocked };
    case 'fullscreen':
      return { ...stage, fullscreen: event.on };
  }
}
