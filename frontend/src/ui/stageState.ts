/** The call stage's part of a call page's state: connection, remote video, and the controls (R18). */
import type { ConnectionState } from '../media/CallSession';

export interface StageState {
  connection: ConnectionState;
  remoteShowing: boolean;
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
  | { type: 'remote-video'; showing: boolean }
  | { type: 'muted'; muted: boolean }
  | { type: 'camera-busy' }
  | { type: 'camera'; on: boolean }
  | { type: 'switched'; switched: boolean }
  | { type: 'sound-blocked'; blocked: boolean }
  | { type: 'fullscreen'; on: boolean };

export const initialStage: StageState = {
  connection: 'connecting',
  remoteShowing: false,
  muted: false,
  videoOn: true,
  cameraBusy: false,
  noOtherCamera: false,
  soundBlocked: false,
  fullscreen: false,
};

export function reduceStage(stage: StageState, event: StageEvent): StageState {
  switch (event.type) {
    case 'connection':
      return { ...stage, connection: event.state };
    case 'remote-video':
      return { ...stage, remoteShowing: event.showing, soundBlocked: event.showing && stage.soundBlocked };
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
