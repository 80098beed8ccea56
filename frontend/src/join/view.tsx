/** The join page drawn from its state: what the visit is, what to do next, and the call. */
import { visitTimes } from '../format';
import type { ClientVisit } from '../api/types';
import type { CallRunner, StageIntent } from '../media/runner';
import { LANGUAGES, LANGUAGE_NAMES, refusalText } from '../texts/client';
import type { ClientTexts, Language } from '../texts/client';
import type { Guidance } from '../texts/guidance';
import { DeviceStep } from '../ui/DeviceProblem';
import { Mount } from '../ui/Mount';
import type { Stage } from '../ui/Stage';
import { caregiverAwaited } from './state';
import type { JoinState } from './state';

export interface JoinActions {
  retry(): void;
  check(): void;
  join(): void;
  control(intent: StageIntent): void;
  hangUp(): void;
  close(): void;
  language(language: Language): void;
}

/** Elements the page makes once: the device check's preview and level meter. */
export interface JoinElements {
  preview: HTMLVideoElement;
  meter: HTMLMeterElement;
}

/** The call runner and the stage, from the chunk the page loads once the link is known good. */
export interface CallPart {
  runner: CallRunner;
  Stage: typeof Stage;
}

export interface JoinViewProps {
  state: JoinState;
  texts: ClientTexts;
  locale: string;
  /** Whether the page knows its language yet: until then it shows no words (R30). */
  spoken: boolean;
  /** The camera guidance in the page's language, once a browser blocked the devices (null until loaded). */
  guidance: Guidance | null;
  elements: JoinElements;
  call: CallPart | null;
  actions: JoinActions;
}

/**
 * R16: the agency, the caregiver's first name and the visit's time with its zone named (R44), nothing else. The
 * zone's name is the one the client's email and text use ("hora del Este"), from the API in every page language;
 * Intl's own name ("EST", "GMT-5" on an es-MX phone) only if the API named none.
 */
function VisitInfo({ info, texts, locale }: { info: ClientVisit; texts: ClientTexts; locale: string }) {
  const named = info.zone_names?.[texts.language]; // an answer without it (an older API) falls back to Intl
  const when = visitTimes(info.start, info.end, info.time_zone, locale, !named);
  return (
    <section class="join-info" data-testid="join-info">
      <h1>{texts.joinWith(info.agency_name)}</h1>
      <p class="big">
        {texts.yourCaregiver}: <strong>{info.caregiver_first_name}</strong>
      </p>
      <p class="big" data-testid="visit-time">
        {texts.visitTime}: {when.day && <>{when.day}, </>}
        <span class="visit-when">{when.times}</span>
        {named && (
          <>
            {' '}
            <span class="visit-when">{texts.zoneLabel(named)}</span>
          </>
        )}
      </p>
    </section>
  );
}

function Preview({ elements, texts }: { elements: JoinElements; texts: ClientTexts }) {
  return (
    <>
      <Mount el={elements.preview} />
      <div class="field">
        <label for="mic-level" class="label">
          {texts.micLevel}
        </label>
        <Mount el={elements.meter} />
      </div>
    </>
  );
}

function JoinButton({ texts, busy, onJoin }: { texts: ClientTexts; busy: boolean; onJoin(): void }) {
  return (
    <button type="button" class="btn btn-primary btn-large" data-testid="join-button" disabled={busy} onClick={onJoin}>
      {busy ? texts.joining : texts.join}
    </button>
  );
}

/** R30: the visible language switch, each language named in itself. */
function LanguageSwitch({ texts, onChoose }: { texts: ClientTexts; onChoose(language: Language): void }) {
  return (
    <nav class="language-switch" aria-label={texts.languageSwitch} data-testid="language-switch">
      {LANGUAGES.map((language) => (
        <button
          key={language}
          type="button"
          lang={language}
          class="btn btn-toggle"
          aria-pressed={language === texts.language}
          onClick={() => onChoose(language)}
        >
          {LANGUAGE_NAMES[language]}
        </button>
      ))}
    </nav>
  );
}

function Panel({ state, texts, guidance, elements, actions }: Omit<JoinViewProps, 'locale' | 'call' | 'spoken'>) {
  switch (state.phase) {
    case 'checking':
      return <p class="loading spinner" role="status" aria-label={texts.loading} />;
    case 'failed':
      return (
        <>
          <p class="error" role="alert">
            {state.message}
          </p>
          <button type="button" class="btn btn-primary btn-large" onClick={actions.retry}>
            {texts.tryAgain}
          </button>
        </>
      );
    case 'ready': {
      const error = state.error && (
        <p class="error" role="alert">
          {state.error}
        </p>
      );
      switch (state.check.step) {
        case 'idle':
          return (
            <>
              {error}
              <p>{texts.devicePrompt}</p>
              <button type="button" class="btn btn-primary btn-large" data-testid="check-devices" onClick={actions.check}>
                {texts.checkDevices}
              </button>
            </>
          );
        case 'asking':
        case 'blocked':
          return (
            <DeviceStep
              problem={state.check.step === 'blocked' ? state.check.problem : null}
              texts={texts}
              guidance={guidance}
              onRetry={actions.check}
            />
          );
        case 'ready':
          return (
            <>
              {error}
              <p role="status">{texts.devicesReady}</p>
              <Preview elements={elements} texts={texts} />
              <JoinButton texts={texts} busy={false} onJoin={actions.join} />
            </>
          );
      }
      return null;
    }
    case 'joining':
    case 'waiting': {
      if (state.phase === 'waiting' && state.inMeeting) return null;
      const connecting = state.phase === 'joining' && state.connecting && (
        <p class="connecting" role="status" data-testid="connecting">
          {texts.connecting}
        </p>
      );
      return state.previewing ? (
        <>
          {connecting}
          <Preview elements={elements} texts={texts} />
          <JoinButton texts={texts} busy onJoin={actions.join} />
        </>
      ) : (
        connecting || <p class="loading">{texts.joining}</p>
      );
    }
    case 'left':
      return (
        <>
          <p role="status" data-testid="left-text">
            {texts.youLeft}
          </p>
          <button type="button" class="btn btn-primary btn-large" data-testid="rejoin-button" onClick={actions.join}>
            {texts.rejoin}
          </button>
        </>
      );
    case 'final': {
      const testId = state.reason === 'over' ? 'ended' : state.reason === 'invalid' ? 'link-invalid' : state.reason === 'expired' ? 'link-expired' : 'refused';
      return (
        <section class="final" data-testid="final" data-reason={state.reason}>
          <p class="final-text" role="status" data-testid={testId}>
            {refusalText(texts, state.code) ?? state.message}
          </p>
          {state.closeRefused ? (
            <p class="muted" role="status">
              {texts.closeByHand}
            </p>
          ) : (
            <button type="button" class="btn btn-large" onClick={actions.close}>
              {texts.closePage}
            </button>
          )}
        </section>
      );
    }
    default:
      return null;
  }
}

export function JoinView(props: JoinViewProps) {
  const { state, texts, locale, spoken, call, actions } = props;
  const info = 'info' in state ? state.info : null;
  const inCall = state.phase === 'in-call' || (state.phase === 'waiting' && state.inMeeting);
  if (!spoken) {
    return (
      <main class="join-main" data-phase="checking">
        <p class="loading spinner" role="status" aria-busy="true" />
      </main>
    );
  }
  return (
    <main class={`join-main${inCall ? ' in-call' : ''}`} data-phase={state.phase} lang={texts.language}>
      <LanguageSwitch texts={texts} onChoose={actions.language} />
      {info && <VisitInfo info={info} texts={texts} locale={locale} />}
      {caregiverAwaited(state) && (
        <p class="waiting-text" role="status" data-testid="caregiver-waiting">
          {texts.caregiverWillJoin}
        </p>
      )}
      <div class="panel" data-testid="join-panel">
        <Panel {...props} />
      </div>
      {inCall && call && (
        <call.Stage texts={texts} elements={call.runner.elements} stage={state.stage} live onControl={actions.control} onHangUp={actions.hangUp} />
      )}
    </main>
  );
}
