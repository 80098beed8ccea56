/**
 * The visit dialog drawn from its state: time, client, service, clock-in/out, the session's status and the
 * actions that can still succeed (R43), the time-change notice (R10), the undelivered-invite warning (R29),
 * the clock-out warning (R22), notes that keep working during a call (R17) and the timeline (R26).
 */
import { useEffect, useRef } from 'preact/hooks';
import { dayLabel, timeOfDay, timeRange } from '../../format';
import { t } from '../../texts/staff';
import { VirtualIcon } from '../../ui/VirtualIcon';
import type { Staff } from '../session';
import type { DialogActions } from './actions';
import { offered, statusKey, statusLines, textRefusal } from './state';
import type { DialogState } from './state';

export interface DialogViewProps {
  state: DialogState;
  staff: Staff;
  now: number;
  actions: DialogActions;
  onClose(): void;
}

function Timeline({ state, staff, actions }: Pick<DialogViewProps, 'state' | 'staff' | 'actions'>) {
  const timeline = state.timeline;
  return (
    <details
      class="timeline-section"
      data-testid="timeline"
      onToggle={(event) => {
        if ((event.currentTarget as HTMLDetailsElement).open) void actions.openTimeline();
      }}
    >
      <summary>{t.timeline}</summary>
      <ol class="timeline">
        {timeline?.error && <li class="error">{timeline.error}</li>}
        {timeline?.entries?.length === 0 && <li>{t.timelineEmpty}</li>}
        {timeline?.entries?.map((entry) => (
          <li key={`${entry.at}-${entry.type}`}>
            {timeOfDay(entry.at, staff.zone, staff.locale)} {t.timelineTypes[entry.type] ?? entry.type} ({entry.actor})
          </li>
        ))}
      </ol>
    </details>
  );
}

/** The join link in a field, selected once, when the clipboard was refused. */
function CopyByHand({ link }: { link: string }) {
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.select(), [link]);
  return (
    <div class="link-fallback">
      <label for="invite-link" class="label">
        {t.clipboardFallback}
      </label>
      <input type="text" readOnly class="input" id="invite-link" value={link} ref={field} />
    </div>
  );
}

export function DialogView({ state, staff, now, actions, onClose }: DialogViewProps) {
  const notes = useRef<HTMLTextAreaElement>(null);
  const visit = state.visit;
  const { zone, locale } = staff;
  const offer = offered(state, now);
  const session = visit?.session;
  const busy = state.busy !== null;
  const feedback =
    state.feedback === 'invite-sent' ? t.inviteSent : state.feedback === 'link-copied' && !state.copyFallback ? t.inviteLinkCopied : '';
  return (
    <>
      <div class="dialog-head">
        <h2 id="visit-dialog-title">
          {visit?.virtual && <VirtualIcon label={t.virtualVisitLabel} />} {visit ? t.visitTitle(visit.client.name || visit.client_id) : t.loading}
        </h2>
        <button type="button" class="btn btn-quiet dialog-close" onClick={onClose}>
          {t.close}
        </button>
      </div>
      {visit && (
        <>
          <dl class="details">
            <dt>{t.time}</dt>
            <dd>
              {dayLabel(visit.start, zone, locale)}, <span class="nowrap">{timeRange(visit.start, visit.end, zone, locale)}</span>
            </dd>
            <dt>{t.client}</dt>
            <dd>{visit.client.name || visit.client_id}</dd>
            <dt>{t.service}</dt>
            <dd>{state.serviceName ? `${state.serviceName} (${visit.service_code})` : visit.service_code}</dd>
          </dl>
          {visit.cancelled && (
            <p class="notice" role="status" data-testid="visit-cancelled">
              {t.visitCancelled}
            </p>
          )}
          <section class="clock-section">
            <p class="clock-state" data-testid="clock-state">
              {visit.clock_in_at || visit.clock_out_at
                ? [
                    visit.clock_in_at && t.clockedInAt(timeOfDay(visit.clock_in_at, zone, locale)),
                    visit.clock_out_at && t.clockedOutAt(timeOfDay(visit.clock_out_at, zone, locale)),
                  ]
                    .filter(Boolean)
                    .join('. ') + '.'
                : t.notClockedIn}
            </p>
            <div class="actions">
              {offer.clockIn && (
                <button type="button" class="btn" disabled={busy} onClick={actions.clockIn}>
                  {t.clockIn}
                </button>
              )}
              {offer.clockOut && (
                <button type="button" class="btn" disabled={busy} onClick={actions.clockOut}>
                  {t.clockOut}
                </button>
              )}
            </div>
            {state.warning && (
              <p class="warning" role="alert" data-testid="clock-out-warning">
                {state.warning}
              </p>
            )}
          </section>
          {visit.virtual && session && (
            <section class="session-section" aria-labelledby="session-heading">
              <h3 id="session-heading">{t.virtualSession}</h3>
              <p class="session-status" aria-live="polite" data-testid="session-status" data-state={statusKey(state, now)}>
                {statusLines(state, now, t, (iso) => timeOfDay(iso, zone, locale)).join(' ')}
              </p>
              {session.invite_stale && offer.invite && (
                <p class="notice" role="status" data-testid="invite-stale">
                  {t.inviteStale}
                </p>
              )}
              {session.invite_undeliverable && offer.invite && (
                <p class="warning" role="status" data-testid="invite-undeliverable">
                  {session.invite_warning ?? t.inviteUndelivered}
                </p>
              )}
              {!visit.client.has_email && offer.invite && <p class="muted">{t.clientHasNoEmail}</p>}
              {offer.invite && textRefusal(visit) && (
                <p class={textRefusal(visit) === 'opted-out' ? 'warning' : 'muted'} data-testid="text-refusal">
                  {textRefusal(visit) === 'opted-out' ? t.clientOptedOut : t.clientNoSmsConsent}
                </p>
              )}
              <div class="actions">
                {offer.invite && (
                  <button
                    type="button"
                    class="btn btn-primary"
                    data-testid="invite"
                    disabled={busy}
                    onClick={() => void actions.invite(offer.invite === 'resend' ? 'resend' : 'email')}
                  >
                    {offer.invite === 'resend' ? t.resendInvite : t.sendInvite}
                  </button>
                )}
                {offer.text && (
                  <button type="button" class="btn" data-testid="invite-text" disabled={busy} onClick={() => void actions.invite('sms')}>
                    {t.sendInviteByText}
                  </button>
                )}
                {offer.email && (
                  <button type="button" class="btn" data-testid="invite-email" disabled={busy} onClick={() => void actions.invite('email')}>
                    {t.sendInviteByEmail}
                  </button>
                )}
                {offer.copy && (
                  <button type="button" class="btn" data-testid="copy-link" disabled={busy} onClick={actions.copyLink}>
                    {t.copyInviteLink}
                  </button>
                )}
                {offer.join && (
                  <button type="button" class="btn btn-primary" data-testid="join" onClick={actions.join}>
                    {t.joinVideoSession}
                  </button>
                )}
              </div>
              <p class="feedback" role="status" data-testid="feedback">
                {feedback}
              </p>
              {state.copyFallback && <CopyByHand link={state.copyFallback} />}
            </section>
          )}
        </>
      )}
      <p class="error" role="alert" data-testid="dialog-error">
        {state.error ?? ''}
      </p>
      {visit && (
        <>
          <section class="notes-section">
            <label for="visit-notes" class="label">
              {t.notes}
            </label>
            <textarea id="visit-notes" class="notes" rows={5} ref={notes} defaultValue={visit.notes ?? ''} />
            <div class="actions">
              <button type="button" class="btn" disabled={busy} onClick={() => void actions.saveNotes(notes.current?.value ?? '')}>
                {t.saveNotes}
              </button>
            </div>
            <p class="feedback" role="status" data-testid="notes-status">
              {state.feedback === 'notes-saved' ? t.notesSaved : ''}
            </p>
          </section>
          <Timeline state={state} staff={staff} actions={actions} />
        </>
      )}
    </>
  );
}
