/** The call window drawn from its state: one panel per phase, the stage while in the meeting. */
import type { CallElements } from '../media/CallSession';
import type { StageIntent } from '../media/runner';
import type { ClientTexts } from '../texts/client';
import type { Guidance } from '../texts/guidance';
import { t } from '../texts/staff';
import { timeOfDay } from '../format';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { DeviceStep } from '../ui/DeviceProblem';
import { Stage } from '../ui/Stage';
import { inMeeting, nextSteps } from './state';
import type { CallState, InCall, NextStep } from './state';

export interface CallActions {
  retry(): void;
  resend(): void;
  control(intent: StageIntent): void;
  hangUp(): void;
  cancelHangUp(): void;
  confirmHangUp(): void;
  backToVisit(): void;
  close(): void;
}

export interface CallViewProps {
  state: CallState;
  /** The agency's time zone and the reader's locale, for R15's time (R44). */
  zone: string;
  locale: string;
  texts: ClientTexts;
  /** The camera guidance, once a browser blocked the devices (null until loaded). */
  guidance: Guidance | null;
  elements: CallElements;
  actions: CallActions;
}

function NextSteps({ steps, actions }: { steps: NextStep[]; actions: CallActions }) {
  return (
    <div class="actions next-steps">
      {steps.map((step, index) => {
        const primary = index === 0 ? 'btn btn-primary' : 'btn';
        if (step === 'staff-app') return <a key={step} class={primary} href="/">{t.openStaffApp}</a>;
        const [label, run] =
          step === 'back-to-visit' ? [t.backToVisit, actions.backToVisit] : step === 'retry' ? [t.tryAgainShort, actions.retry] : [t.closeWindow, actions.close];
        return (
          <button key={step} type="button" class={primary} onClick={run}>
            {label}
          </button>
        );
      })}
    </div>
  );
}

function WaitingText({ call, zone, locale, actions }: { call: InCall; zone: string; locale: string; actions: CallActions }) {
  const sentAt = call.lastInviteSentAt;
  return (
    <div class="waiting" data-testid="waiting">
      <div class="waiting-row">
        <p data-testid="waiting-text">{sentAt ? t.clientNotJoined(timeOfDay(sentAt, zone, locale)) : t.clientNotJoinedNoEmail}</p>
        <button type="button" class="btn btn-primary" disabled={call.resend === 'sending'} onClick={actions.resend}>
          {t.resendInviteShort}
        </button>
      </div>
      <p class="feedback" role="status">
        {call.resend === 'sent' ? t.inviteResent : ''}
      </p>
    </div>
  );
}

function Panel({ state, texts, guidance, actions }: { state: CallState; texts: ClientTexts; guidance: Guidance | null; actions: CallActions }) {
  switch (state.phase) {
    case 'checking':
      return (
        <p class="prompt" role="status" data-testid={state.connecting ? 'connecting' : undefined}>
          {state.connecting ? t.connecting : state.rejoins > 0 ? t.rejoiningCall : t.checkingJoin}
        </p>
      );
    case 'devices':
    case 'blocked':
      return <DeviceStep problem={state.phase === 'blocked' ? state.problem : null} texts={texts} guidance={guidance} onRetry={actions.retry} />;
    case 'final': {
      const ended = state.reason === 'over' || state.reason === 'expired';
      return (
        <section class="final" data-testid="final" data-reason={state.reason}>
          <p class={ended ? 'over-text' : 'error'} role={ended ? 'status' : 'alert'} data-testid={ended ? 'over-text' : 'join-error'}>
            {state.message}
          </p>
          <NextSteps steps={nextSteps(state.reason)} actions={actions} />
        </section>
      );
    }
    default:
      return null;
  }
}

export function CallView({ state, zone, locale, texts, guidance, elements, actions }: CallViewProps) {
  return (
    <>
      <header class="topbar">
        <h1 class="brand">{t.callTitle}</h1>
      </header>
      <main class="call-main" data-phase={state.phase}>
        <div class="panel" data-testid="call-panel">
          <Panel state={state} texts={texts} guidance={guidance} actions={actions} />
        </div>
        {inMeeting(state) && (
          <Stage
            texts={texts}
            elements={elements}
            stage={state.call.stage}
            live
            onControl={actions.control}
            onHangUp={actions.hangUp}
            overlay={
              state.call.confirm !== 'closed' && (
                <ConfirmDialog
                  testId="hang-up-confirm"
                  question={t.hangUpConfirm}
                  cancel={t.cancel}
                  confirm={t.hangUp}
                  busy={state.call.confirm === 'ending'}
                  error={state.call.error}
                  onCancel={actions.cancelHangUp}
                  onConfirm={actions.confirmHangUp}
                />
              )
            }
          >
            {state.phase === 'waiting' && <WaitingText call={state.call} zone={zone} locale={locale} actions={actions} />}
            {state.phase === 'left' && (
              <p class="notice" role="status" data-testid="client-left">
                {t.clientLeft}
              </p>
            )}
            {state.call.confirm === 'closed' && state.call.error && (
              <p class="error" role="alert" data-testid="call-error">
                {state.call.error}
              </p>
            )}
          </Stage>
        )}
      </main>
    </>
  );
}
