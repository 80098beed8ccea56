/** What the visit dialog's buttons do: each calls the API once and tells the dialog's state what came back. */
import { errorText } from '../../api/client';
import { t } from '../../texts/staff';
import type { Store } from '../../store';
import { loadServiceNames, staffApi } from '../session';
import type { Action, DialogEvent, DialogState } from './state';

export interface DialogActions {
  load(): Promise<void>;
  clockIn(): Promise<void>;
  clockOut(): Promise<void>;
  invite(): Promise<void>;
  copyLink(): Promise<void>;
  join(): void;
  saveNotes(notes: string): Promise<void>;
  openTimeline(): Promise<void>;
}

export function dialogActions(visitId: string, store: Store<DialogState, DialogEvent>, onChange: () => void): DialogActions {
  const where = { path: { visit_id: visitId } };
  const dispatch = store.dispatch;
  const run = async (action: Action, call: () => Promise<DialogEvent>): Promise<void> => {
    dispatch({ type: 'busy', action });
    try {
      dispatch(await call());
    } catch (err) {
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
    invite: () =>
      run('invite', async () => {
        const result = await staffApi('post', '/api/visits/{visit_id}/invite', { ...where, body: { delivery: 'email' } });
        return { type: 'invited', session: result.session, feedback: 'invite-sent', fallback: null };
      }),
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
