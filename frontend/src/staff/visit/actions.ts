/** What the visit dialog's buttons do: each calls the API once and tells the dialog's state what came back. */
import { ApiError, errorText } from '../../api/client';
import { t } from '../../texts/staff';
import type { Store } from '../../store';
import { loadServiceNames, staffApi } from '../session';
import type { Action, DialogEvent, DialogState } from './state';

export interface DialogActions {
  load(): Promise<void>;
  clockIn(): Promise<void>;
  clockOut(): Promise<void>;
  /** Send by email or text message, or resend by the channel of the last invite (R04, R09, R28). */
  invite(delivery: 'email' | 'sms' | 'resend'): Promise<void>;
  copyLink(): Promise<void>;
  join(): void;
  saveNotes(notes: string): Promise<void>;
  openTimeline(): Promise<void>;
}

export function dialogActions(visitId: string, store: Store<DialogState, DialogEvent>, onChange: () => void): DialogActions {
  const where = { path: { visit_id: visitId } };
  const dispatch = store.dispatch;
  let lastRefusal: string | null = null;
  const run = async (action: Action, call: () => Promise<DialogEvent>): Promise<void> => {
    dispatch({ type: 'busy', action });
    lastRefusal = null;
    try {
      dispatch(await call());
    } catch (err) {
      lastRefusal = err instanceof ApiError ? err.code : null;
      dispatch({ type: 'failed', message: errorText(err) });
    }
  };

  return {
    async load() {
      try {
        const [visit, services] = await Promise.all([staffApi('get', '/api/visits/{visit_id}', where), loadServiceNames()]);
        dispatch({ type: 'loaded', visit, serviceName: services.get(visit.service_code) ?? null });
      } catch (err) {
        dispatch({ type: 'load-failed', message: errorText(err) });
      }
    },
    clockIn: () =>
      run('clock-in', async () => {
        const visit = await staffApi('post', '/api/visits/{visit_id}/clock-in', where);
        onChange();
        return { type: 'clocked', visit, warning: null };
      }),
    clockOut: () =>
      run('clock-out', async () => {
        const visit = await staffApi('post', '/api/visits/{visit_id}/clock-out', where);
        onChange();
        return { type: 'clocked', visit, warning: visit.warning?.Message ?? null }; // R22
      }),
    async invite(delivery) {
      await run('invite', async () => {
        const result = await staffApi('post', '/api/visits/{visit_id}/invite', { ...where, body: { delivery } });
        return { type: 'invited', session: result.session, feedback: 'invite-sent', fallback: null };
      });
      // R29: the client replied STOP since the last text, and the API has now marked them: show it, offer it no more
      if (store.get().error && lastRefusal === 'CLIENT_OPTED_OUT') await this.load();
    },
    copyLink: () =>
      run('copy', async () => {
        const result = await staffApi('post', '/api/visits/{visit_id}/invite', { ...where, body: { delivery: 'link' } });
        const url = result.join_url ?? '';
        let fallback: string | null = null;
        try {
          await navigator.clipboard.writeText(url);
        } catch {
          fallback = url; // clipboard refused (permissions, insecure origin): the link to copy by hand
        }
        return { type: 'invited', session: result.session, feedback: 'link-copied', fallback };
      }),
    join() {
      // Opened synchronously in the click, so no pop-up blocker steps in. The call window joins, tells this
      // dialog the call's phase (R41), and a refusal (R11, R12, R13, R23) shows in both.
      const win = window.open(`/call?visit=${encodeURIComponent(visitId)}`, `vv-call-${visitId}`, 'popup,width=960,height=720');
      if (!win) return dispatch({ type: 'popup-blocked', message: t.popupBlocked });
      win.focus();
      dispatch({ type: 'call-opening', at: Date.now() });
    },
    saveNotes: (notes) =>
      run('notes', async () => {
        await staffApi('put', '/api/visits/{visit_id}/notes', { ...where, body: { notes } });
        return { type: 'notes-saved' };
      }),
    async openTimeline() {
      dispatch({ type: 'timeline-opened' });
      try {
        dispatch({ type: 'timeline', entries: await staffApi('get', '/api/visits/{visit_id}/timeline', where) });
      } catch (err) {
        dispatch({ type: 'timeline-failed', message: errorText(err) });
      }
    },
  };
}
