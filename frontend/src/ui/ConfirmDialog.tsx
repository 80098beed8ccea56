/** A modal question with two answers (the R20 hang-up confirmation): shown while the page's state says so. */
import { useEffect, useRef } from 'preact/hooks';

export interface ConfirmProps {
  testId: string;
  question: string;
  cancel: string;
  confirm: string;
  busy: boolean;
  error: string | null;
  onCancel(): void;
  onConfirm(): void;
}

export function ConfirmDialog({ testId, question, cancel, confirm, busy, error, onCancel, onConfirm }: ConfirmProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
    cancelButton.current?.focus();
  }, []);
  return (
    <dialog
      ref={dialog}
      class="confirm"
      role="alertdialog"
      aria-labelledby={`${testId}-text`}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <p id={`${testId}-text`}>{question}</p>
      <div class="actions">
        <button type="button" class="btn" ref={cancelButton} onClick={onCancel}>
          {cancel}
        </button>
        <button type="button" class="btn btn-danger" disabled={busy} onClick={onConfirm}>
          {confirm}
        </button>
      </div>
      <p class="error" role="alert">
        {error ?? ''}
      </p>
    </dialog>
  );
}
