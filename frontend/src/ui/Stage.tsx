/**
 * The call stage both call pages draw: one tile per person in the call, each labelled with their first name
 * (R38), the self-view small in the bottom-right corner (R16), live captions in large high-contrast text (R39),
 * the weak-connection warning with its one-tap "Turn off my video" (R40), the reconnecting banner and the
 * controls (R18). Every control is a <button> whose visible text is its accessible name; the stage itself goes
 * fullscreen, so the labels stay visible there. It draws from the page's StageState and sends intents; the media
 * elements are the runner's, mounted here, so a new render never interrupts a playing video.
 */
import '../styles/stage.css';
import type { ComponentChildren } from 'preact';
import type { CallElements } from '../media/CallSession';
import type { Role } from '../media/participants';
import type { StageIntent } from '../media/runner';
import type { ClientTexts } from '../texts/client';
import { ControlIcon } from './icons';
import { Mount } from './Mount';
import { remoteShowing } from './stageState';
import type { StageState, Tile } from './stageState';

/** The first names the API told this page, by role (R38); a role with none is named by the role. */
export type Names = Partial<Record<Role, string>>;

interface ControlProps {
  action: string;
  label: string;
  off?: boolean;
  extra?: string;
  disabled?: boolean;
  pressed?: boolean;
  onClick(): void;
}

function Control({ action, label, off = false, extra = '', disabled = false, pressed, onClick }: ControlProps) {
  return (
    <button
      type="button"
      class={`control ${extra}${off ? ' control-off' : ''}`}
      data-action={action}
      disabled={disabled}
      aria-pressed={pressed}
      onClick={onClick}
    >
      <ControlIcon action={action} />
      <span class="control-label">{label}</span>
    </button>
  );
}

export function nameOf(names: Names, role: Role, texts: ClientTexts): string {
  return names[role] || texts.roles[role];
}

function PersonTile({ tile, name, elements, texts }: { tile: Tile; name: string; elements: CallElements; texts: ClientTexts }) {
  const video = elements.videoOf(tile.attendeeId);
  video.setAttribute('aria-label', texts.videoOf(name));
  return (
    <figure class={`tile${tile.showing ? ' tile-showing' : ''}`} data-role={tile.role} data-testid={`tile-${tile.role}`}>
      <Mount el={video} />
      {tile.paused && (
        <p class="tile-paused" data-testid="video-paused">
          {texts.videoPaused}
        </p>
      )}
      <figcaption class="tile-name">{name}</figcaption>
    </figure>
  );
}

function CaptionsBand({ stage, texts, speakerName }: { stage: StageState; texts: ClientTexts; speakerName(attendeeId: string): string | null }) {
  const { lines } = stage.captions;
  return (
    <section class="captions" aria-label={texts.captions} data-testid="captions">
      {lines.length === 0 ? (
        <p class="caption-line caption-idle">{texts.captionsWaiting}</p>
      ) : (
        lines.map((line) => {
          const speaker = speakerName(line.attendeeId);
          return (
            <p key={line.resultId} class={`caption-line${line.partial ? ' caption-partial' : ''}`}>
              {speaker && <span class="caption-speaker">{speaker}: </span>}
              {line.text}
            </p>
          );
        })
      )}
    </section>
  );
}

export interface StageProps {
  texts: ClientTexts;
  elements: CallElements;
  stage: StageState;
  /** First names by role, for the tiles and the captions (R38). */
  names: Names;
  /** This page's own attendee: what they say is captioned as "You". */
  selfAttendeeId?: string | null;
  /** In a media session: mute and the camera buttons work. */
  live: boolean;
  onControl(intent: StageIntent): void;
  onHangUp(): void;
  /** The status lines under the video (waiting, left, errors). */
  children?: ComponentChildren;
  /** Drawn inside the stage, so it stays visible in fullscreen (the hang-up confirmation). */
  overlay?: ComponentChildren;
}

export function Stage({ texts, elements, stage, names, selfAttendeeId, live, onControl, onHangUp, children, overlay }: StageProps) {
  const cameraIdle = live && !stage.cameraBusy;
  const { captions } = stage;
  const speakerName = (attendeeId: string): string | null => {
    if (attendeeId && attendeeId === selfAttendeeId) return texts.you;
    const role = stage.tiles.find((t) => t.attendeeId === attendeeId)?.role;
    return role ? nameOf(names, role, texts) : null;
  };
  return (
    <section
      class={`stage${remoteShowing(stage) ? ' has-remote' : ''}${stage.fullscreen ? ' is-fullscreen' : ''}`}
      data-testid="stage"
    >
      <div class={`video-area tiles-${Math.max(1, stage.tiles.length)}`}>
        <div class="tiles">
          {stage.tiles.map((tile) => (
            <PersonTile key={tile.attendeeId} tile={tile} name={nameOf(names, tile.role, texts)} elements={elements} texts={texts} />
          ))}
        </div>
        <figure class="self-box">
          <Mount el={elements.localVideo} />
          <figcaption class="tile-name">{texts.you}</figcaption>
        </figure>
        <div class="banner banner-warning" role="status" hidden={stage.connection !== 'reconnecting'} data-testid="reconnecting">
          {texts.reconnecting}
        </div>
        <button type="button" class="btn btn-primary sound-button" hidden={!stage.soundBlocked} onClick={() => onControl('sound')}>
          {texts.turnOnSound}
        </button>
      </div>
      {stage.weak && (
        <div class="weak-connection" role="status" data-testid="weak-connection">
          <p>{texts.weakConnection}</p>
          {stage.videoOn && (
            <button type="button" class="btn btn-primary" disabled={!cameraIdle} onClick={() => onControl('camera')}>
              {texts.turnOffMyVideo}
            </button>
          )}
        </div>
      )}
      {captions.available && captions.on && <CaptionsBand stage={stage} texts={texts} speakerName={speakerName} />}
      <div class="stage-status" aria-live="polite" data-testid="call-status">
        {children}
        {captions.error && (
          <p class="error" role="alert" data-testid="captions-error">
            {captions.error}
          </p>
        )}
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
        {/* R39: only where the provider can caption; the local provider has no button at all. */}
        {captions.available && (
          <Control
            action="captions"
            label={texts.captions}
            off={!captions.on}
            pressed={captions.on}
            disabled={!live || captions.busy}
            onClick={() => onControl('captions')}
          />
        )}
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
      <div class="remote-audio-slot">
        {elements.audios().map((audio, index) => (
          <Mount key={index} el={audio} />
        ))}
      </div>
      {overlay}
    </section>
  );
}
