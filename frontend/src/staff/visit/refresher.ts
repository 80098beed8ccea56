/**
 * Keeps the visit dialog's session current. While the visit's call window speaks on the call channel, the
 * dialog follows it and asks the API nothing (R41). Otherwise it looks every REFRESH_MS while in view,
 * pauses while the page is hidden, looks at once when the caregiver comes back (focus and
 * visibilitychange both fire: one request), and stops once the session is over or expired.
 */
import { HEARTBEAT_MS, openCallChannel } from '../../callChannel';
import { createPoller } from '../../poller';
import type { Store } from '../../store';
import { staffApi } from '../session';
import { following, refreshMs, sessionState } from './state';
import type { DialogEvent, DialogState } from './state';

export function startRefresher(visitId: string, store: Store<DialogState, DialogEvent>): { repace(): void; stop(): void } {
  const poller = createPoller(async () => {
    store.dispatch({ type: 'session', session: await staffApi('get', '/api/visits/{visit_id}/session', { path: { visit_id: visitId } }) });
  });
  const repace = (): void => poller.pace(refreshMs(store.get(), Date.now(), document.hidden));
  const channel = openCallChannel((message) => {
    if (message.visitId !== visitId) return;
    if (message.type === 'call') store.dispatch({ type: 'call', news: message, at: Date.now() });
    if (message.type === 'closed') {
      store.dispatch({ type: 'call-closed' });
      poller.now(); // the window went away: what became of the session?
    }
    repace();
  });
  const onReturn = (): void => {
    repace();
    const state = store.get();
    const final = sessionState(state) === 'over' || sessionState(state) === 'expired';
    if (!document.hidden && !final && !following(state, Date.now()) && state.load === 'ready') poller.now();
  };
  window.addEventListener('focus', onReturn);
  document.addEventListener('visibilitychange', onReturn);
  // A call window that vanished without a word stops counting after STALE_MS: check now and then (no request).
  const clock = window.setInterval(repace, HEARTBEAT_MS);
  channel.post({ type: 'ask', visitId });
  return {
    repace,
    stop() {
      poller.stop();
      channel.close();
      window.clearInterval(clock);
      window.removeEventListener('focus', onReturn);
      document.removeEventListener('visibilitychange', onReturn);
    },
  };
}
