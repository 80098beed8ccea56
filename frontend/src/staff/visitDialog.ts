/**
 * The full visit dialog: time, client, service, clock-in/out, the invite buttons (R04, R07, R09),
 * "Join video session" (R14, R24), the session status, the time-change notice (R10), the
 * clock-out warning (R22) and visit notes that keep working during a call (R17).
 * API errors show their Message as written.
 */
import { errorText } from '../api';
import { clear, h, virtualIcon } from '../dom';
import { dayLabel, hhmm, timeRange } from '../format';
import { t } from '../texts';
import type { ClockOutResponse, InviteResponse, SessionStatus, TimelineEvent, Visit } from '../types';
import type { Staff } from './session';
import { loadServiceNames, staffApi } from './session';

/**
 * The dialog's look at the session while it is open and in view. It pauses while the page is hidden
 * and while this visit's call window is open (the caregiver is in the call; the window has its own
 * status) and looks again at once when the caregiver comes back (docs/PERFORMANCE.md §5).
 */
const REFRESH_MS = 3000;

/** Messages a call window sends back to this window (for example a refused join). */
export interface CallWindowMessage {
  type: 'vv-call-error';
  visitId: string;
  message: string;
}

export async function openVisitDialog(visitId: string, staff: Staff, onChange: () => void): Promise<void> {
  const zone = staff.timeZone;
  const dialog = h('dialog', { class: 'visit-dialog', 'aria-labelledby': 'visit-dialog-title', 'data-testid': 'visit-dialog' });
  const title = h('h2', { id: 'visit-dialog-title' }, t.loading);
  const closeBtn = h('button', { type: 'button', class: 'btn btn-quiet dialog-close' }, t.close);
  const details = h('dl', { class: 'details' });
  const clockState = h('p', { class: 'clock-state', 'data-testid': 'clock-state' });
  const clockIn = h('button', { type: 'button', class: 'btn' }, t.clockIn);
  const clockOut = h('button', { type: 'button', class: 'btn' }, t.clockOut);
  const warning = h('p', { class: 'warning', role: 'alert', hidden: true, 'data-testid': 'clock-out-warning' });
  const sessionSection = h('section', { class: 'session-section', 'aria-labelledby': 'session-heading' });
  const sessionStatus = h('p', { class: 'session-status', 'aria-live': 'polite', 'data-testid': 'session-status' });
  const staleNotice = h('p', { class: 'notice', role: 'status', hidden: true, 'data-testid': 'invite-stale' }, t.inviteStale);
  const noEmail = h('p', { class: 'muted', hidden: true }, t.clientHasNoEmail);
  const invite = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'invite' }, t.sendInvite);
  const copy = h('button', { type: 'button', class: 'btn', 'data-testid': 'copy-link' }, t.copyInviteLink);
  const join = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'join' }, t.joinVideoSession);
  const feedback = h('p', { class: 'feedback', role: 'status', 'data-testid': 'feedback' });
  const linkFallback = h('div', { class: 'link-fallback', hidden: true });
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'dialog-error' });
  const notes = h('textarea', { id: 'visit-notes', class: 'notes', rows: '5' });
  const saveNotes = h('button', { type: 'button', class: 'btn' }, t.saveNotes);
  const notesStatus = h('p', { class: 'feedback', role: 'status', 'data-testid': 'notes-status' });
  const timelineList = h('ol', { class: 'timeline' });
  const timeline = h('details', { class: 'timeline-section', 'data-testid': 'timeline' }, h('summary', {}, t.timeline), timelineList);

  sessionSection.append(
    h('h3', { id: 'session-heading' }, t.virtualSession),
    sessionStatus,
    staleNotice,
    noEmail,
    h('div', { class: 'actions' }, invite, copy, join),
    feedback,
    linkFallback,
  );
  dialog.append(
    h('div', { class: 'dialog-head' }, title, closeBtn),
    details,
    h('section', { class: 'clock-section' }, clockState, h('div', { class: 'actions' }, clockIn, clockOut), warning),
    sessionSection,
    error,
    h(
      'section',
      { class: 'notes-section' },
      h('label', { for: 'visit-notes', class: 'label' }, t.notes),
      notes,
      h('div', { class: 'actions' }, saveNotes),
      notesStatus,
    ),
    timeline,
  );

  // R26: the visit's timeline, read when opened (times in the agency's zone).
  timeline.addEventListener('toggle', async () => {
    if (!timeline.open) return;
    clear(timelineList);
    try {
      const events = await staffApi<TimelineEvent[]>('GET', `/visits/${encodeURIComponent(visitId)}/timeline`);
      if (events.length === 0) timelineList.append(h('li', {}, t.timelineEmpty));
      for (const event of events) {
        const label = t.timelineTypes[event.type] ?? event.type;
        timelineList.append(h('li', {}, `${hhmm(event.at, zone)} ${label} (${event.actor})`));
      }
    } catch (err) {
      timelineList.append(h('li', { class: 'error' }, errorText(err)));
    }
  });

  let visit: Visit | null = null;
  let services = new Map<string, string>();
  let timer = 0;
  let closed = false;
  let callWindow: Window | null = null;
  let refreshing = false;

  const renderSession = (session: SessionStatus | null | undefined): void => {
    if (!visit) return;
    const s = session ?? null;
    sessionSection.hidden = !visit.virtual;
    const state = s?.state ?? 'none';
    const parts = [t.sessionState[state] ?? state];
    if (s?.last_invite_sent_at) parts.push(t.lastInviteSentAt(hhmm(s.last_invite_sent_at, zone)));
    if (s?.client_present) parts.push(t.clientInCall);
    sessionStatus.textContent = parts.join(' ');
    sessionStatus.dataset.state = state;
    invite.textContent = s?.last_invite_sent_at ? t.resendInvite : t.sendInvite;
    staleNotice.hidden = !s?.invite_stale;
    noEmail.hidden = visit.client?.has_email !== false;
  };

  const render = (): void => {
    if (!visit) return;
    clear(title);
    if (visit.virtual) title.append(virtualIcon(t.virtualVisitLabel), ' ');
    title.append(t.visitTitle(visit.client?.name ?? visit.client_id));
    clear(details);
    const row = (term: string, value: string): void => details.append(h('dt', {}, term), h('dd', {}, value));
    row(t.time, `${dayLabel(visit.start, zone)}, ${timeRange(visit.start, visit.end, zone)}`);
    row(t.client, visit.client?.name ?? visit.client_id);
    const serviceName = services.get(visit.service_code);
    row(t.service, serviceName ? `${serviceName} (${visit.service_code})` : visit.service_code);
    const parts: string[] = [];
    if (visit.clock_in_at) parts.push(t.clockedInAt(hhmm(visit.clock_in_at, zone)));
    if (visit.clock_out_at) parts.push(t.clockedOutAt(hhmm(visit.clock_out_at, zone)));
    clockState.textContent = parts.length ? parts.join('. ') + '.' : t.notClockedIn;
    clockIn.disabled = Boolean(visit.clock_in_at);
    clockOut.disabled = !visit.clock_in_at || Boolean(visit.clock_out_at);
    renderSession(visit.session);
  };

  /** `now`: the caregiver came back to the page, so look even if paused. */
  const refreshSession = async (now = false): Promise<void> => {
    if (!visit?.virtual || closed || refreshing) return;
    if (!now && (document.hidden || (callWindow !== null && !callWindow.closed))) return;
    // Over and expired are final (R23): nothing left to look for.
    if (!now && (visit.session?.state === 'over' || visit.session?.state === 'expired')) return;
    refreshing = true; // coming back fires both focus and visibilitychange: one request
    try {
      visit.session = await staffApi<SessionStatus>('GET', `/visits/${encodeURIComponent(visitId)}/session`);
      renderSession(visit.session);
    } catch {
      // The next tick tries again; a failed background refresh is not an error for the user.
    } finally {
      refreshing = false;
    }
  };

  const run = async (button: HTMLButtonElement, action: () => Promise<void>): Promise<void> => {
    error.textContent = '';
    feedback.textContent = '';
    button.disabled = true;
    try {
      await action();
    } catch (err) {
      error.textContent = errorText(err);
    } finally {
      button.disabled = false;
      render();
    }
  };

  clockIn.addEventListener('click', () =>
    run(clockIn, async () => {
      visit = await staffApi<Visit>('POST', `/visits/${encodeURIComponent(visitId)}/clock-in`);
      onChange();
    }),
  );
  clockOut.addEventListener('click', () =>
    run(clockOut, async () => {
      const result = await staffApi<ClockOutResponse>('POST', `/visits/${encodeURIComponent(visitId)}/clock-out`);
      visit = result;
      warning.hidden = !result.warning;
      warning.textContent = result.warning?.Message ?? '';
      onChange();
    }),
  );
  invite.addEventListener('click', () =>
    run(invite, async () => {
      const result = await staffApi<InviteResponse>('POST', `/visits/${encodeURIComponent(visitId)}/invite`, { delivery: 'email' });
      if (visit) visit.session = result.session;
      feedback.textContent = t.inviteSent;
    }),
  );
  copy.addEventListener('click', () =>
    run(copy, async () => {
      const result = await staffApi<InviteResponse>('POST', `/visits/${encodeURIComponent(visitId)}/invite`, { delivery: 'link' });
      if (visit) visit.session = result.session;
      const url = result.join_url ?? '';
      linkFallback.hidden = true;
      clear(linkFallback);
      try {
        await navigator.clipboard.writeText(url);
        feedback.textContent = t.inviteLinkCopied;
      } catch {
        // Clipboard refused (permissions, insecure origin): show the link to copy by hand.
        const field = h('input', { type: 'text', readonly: true, class: 'input', id: 'invite-link', value: url });
        linkFallback.append(h('label', { for: 'invite-link', class: 'label' }, t.clipboardFallback), field);
        linkFallback.hidden = false;
        field.select();
      }
    }),
  );
  join.addEventListener('click', () => {
    error.textContent = '';
    // Opened synchronously in the click so no pop-up blocker steps in; the call window joins
    // and reports a refusal (R11, R12, R13, R23) back here as well as showing it itself.
    const win = window.open(`/call?visit=${encodeURIComponent(visitId)}`, `vv-call-${visitId}`, 'popup,width=960,height=720');
    if (!win) error.textContent = t.popupBlocked;
    else win.focus();
    callWindow = win;
  });
  saveNotes.addEventListener('click', async () => {
    notesStatus.textContent = '';
    error.textContent = '';
    saveNotes.disabled = true;
    try {
      await staffApi('PUT', `/visits/${encodeURIComponent(visitId)}/notes`, { notes: notes.value });
      notesStatus.textContent = t.notesSaved;
    } catch (err) {
      error.textContent = errorText(err);
    } finally {
      saveNotes.disabled = false;
    }
  });

  const onMessage = (event: MessageEvent): void => {
    if (event.origin !== location.origin) return;
    const data = event.data as Partial<CallWindowMessage> | null;
    if (data?.type === 'vv-call-error' && data.visitId === visitId && typeof data.message === 'string') {
      error.textContent = data.message;
    }
  };
  window.addEventListener('message', onMessage);
  const onReturn = (): void => {
    if (!document.hidden) void refreshSession(true);
  };
  window.addEventListener('focus', onReturn);
  document.addEventListener('visibilitychange', onReturn);

  const close = (): void => {
    closed = true;
    window.clearInterval(timer);
    window.removeEventListener('message', onMessage);
    window.removeEventListener('focus', onReturn);
    document.removeEventListener('visibilitychange', onReturn);
    if (dialog.open) dialog.close();
    dialog.remove();
  };
  closeBtn.addEventListener('click', close);
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    close();
  });

  document.body.append(dialog);
  dialog.showModal();
  try {
    [visit, services] = await Promise.all([
      staffApi<Visit>('GET', `/visits/${encodeURIComponent(visitId)}`),
      loadServiceNames(),
    ]);
    notes.value = typeof visit.notes === 'string' ? visit.notes : '';
    render();
    timer = window.setInterval(() => void refreshSession(), REFRESH_MS);
  } catch (err) {
    title.textContent = t.close;
    error.textContent = errorText(err);
  }
}
