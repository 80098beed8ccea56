/** The visit dialog: a modal with its own state (state.ts), its actions, its refresher and its view. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { HEARTBEAT_MS } from '../../callChannel';
import { createStore } from '../../store';
import { useStore } from '../../useStore';
import type { Staff } from '../session';
import { dialogActions } from './actions';
import { startRefresher } from './refresher';
import { initialDialog, reduceDialog } from './state';
import type { DialogEvent, DialogState } from './state';
import { DialogView } from './view';

export interface VisitDialogProps {
  visitId: string;
  staff: Staff;
  /** The visit changed (clock in or out): the schedule reloads. */
  onChange(): void;
  onClose(): void;
}

function open(visitId: string, onChange: () => void) {
  const refresher: { repace(): void } = { repace: () => undefined };
  const store = createStore<DialogState, DialogEvent>(initialDialog, reduceDialog, () => refresher.repace());
  return { store, refresher, actions: dialogActions(visitId, store, onChange) };
}

export function VisitDialog({ visitId, staff, onChange, onClose }: VisitDialogProps) {
  const [dialog] = useState(() => open(visitId, onChange));
  const state = useStore(dialog.store);
  const [now, setNow] = useState(Date.now());
  const element = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (element.current && !element.current.open) element.current.showModal();
    const refresher = startRefresher(visitId, dialog.store);
    dialog.refresher.repace = refresher.repace;
    void dialog.actions.load();
    // Whether the call window still speaks depends on the time: look again now and then (no request).
    const clock = window.setInterval(() => setNow(Date.now()), HEARTBEAT_MS);
    return () => {
      refresher.stop();
      window.clearInterval(clock);
    };
  }, [visitId, dialog]);
  return (
    <dialog
      ref={element}
      class="visit-dialog"
      aria-labelledby="visit-dialog-title"
      data-testid="visit-dialog"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <DialogView state={state} staff={staff} now={Math.max(now, Date.now())} actions={dialog.actions} onClose={onClose} />
    </dialog>
  );
}
