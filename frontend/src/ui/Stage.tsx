/**
 * The call stage both call pages draw: the remote video large, the self-view small in the bottom-right
 * corner (R16), a status area, the reconnecting banner and the controls (R18). Every control is a
 * <button> whose visible text is its accessible name; the stage itself goes fullscreen, so the labels stay
 * visible there. It draws from the page's StageState and sends intents (fullscreen included: the runner
 * follows the document's fullscreen state); the media elements are the runner's, mounted here, so a new
 * render never interrupts a playing video.
 */
import '../styles/stage.css';
import type { ComponentChildren } from 'preact';
import type { CallElements } from '../media/CallSession';
import type { StageIntent } from '../media/runner';
import type { ClientTexts } from '../texts/client';
import { ControlIcon } from './icons';
import { Mount } from './Mount';
import type { StageState } from './stageState';

interface ControlProps {
  action: string;
  label: string;
  off?: boolean;
  extra?: string;
  disabled?: boolean;
  onClick(): void;
}

function Control({ action, label, off = false, extra = '', disabled = false, onClick }: ControlProps) {
  return (
    <button type="button" class={`control ${extra}${off ? ' control-off' : ''}`} data-action={action} disabled={disabled} onClick={onClick}>
      <ControlIcon action={action} />
      <span class="control-label">{label}</span>
    </button>
  );
}

export interface StageProps {
  texts: ClientTexts;
  elements: CallElements;
  stage: StageState;
  /** In a media session: mute and the camera buttons work. */
  live: boolean;
  onControl(intent: StageIntent): void;
  onHangUp(): void;
  /** The status lines under the video (waiting, left, errors). */
  children?: ComponentChildren;
  /** Drawn inside the stage, so it stays visible in fullscreen (the hang-up confirmation). */
  overlay?: ComponentChildren;
}

export function Stage({ texts, elements, stage, live, onControl, onHangUp, children, overlay }: StageProps) {
  const cameraIdle = live && !stage.cameraBusy;
  return (
    <section
      class={`stage${stage.remoteShowing ? ' has-remote' : ''}${stage.fullscreen ? ' is-fullscreen' : ''}`}
      data-testid="stage"
    >
      <div class="video-area">
        <Mount el={elements.remoteVideo} />
        <Mount el={elements.localVideo} />
        <div class="banner banner-warning" role="status" hidden={stage.connection !== 'reconnecting'} data-testid="reconnecting">
          {texts.reconnecting}
        </div>
        <button type="button" class="btn btn-primary sound-button" hidden={!stage.soundBlocked} onClick={() => onControl('sound')}>
          {texts.turnOnSound}
        </button>
      </div>
      <div class="stage-status" aria-live="polite" data-testid="call-status">
        {children}
      </div>
      <div class="controls" role="group" aria-label={texts.callControls}>
        <Control action="mute" label={stage.muted ? texts.unmute : texts.mute} off={stage.muted} disabled={!live} onClick={() => onControl('mute')} />
        <Control
          action="camera"
          label={stage.videoOn ? texts.cameraOff : texts.cameraOn}
          off={!stage.videoOn}
          disabled={!cameraIdle}
          onClick={() => onControl('camera')}
        />
        <Control action="switch-camera" label={texts.switchCamera} disabled={!cameraIdle} onClick={() => onControl('switch-camera')} />
        <Control action="hang-up" label={texts.hangUp} extra="control-danger" onClick={onHangUp} />
        {/* iPhone Safari cannot put a page element in fullscreen; the button shows only where it works. */}
        {document.fullscreenEnabled && (
          <Control
            action="fullscreen"
            label={stage.fullscreen ? texts.exitFullscreen : texts.fullscreen}
            extra="control-secondary"
            onClick={() => onControl('fullscreen')}
          />
        )}
      </div>
      <p class="control-note" aria-live="polite">
        {stage.noOtherCamera ? texts.noOtherCamera : ''}
      </p>
      <Mount el={elements.remoteAudio} />
      {overlay}
    </section>
  );
}
