/**
 * The console's form parts. Each field shows the API's refusal beside it (R33), tied to it for assistive
 * technology (aria-invalid, aria-describedby); a refusal that names no field shows under the form.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../texts/staff';
import type { FormState, Value } from './records';

interface FieldProps {
  form: FormState;
  name: string;
  label: string;
  hint?: string;
  onEdit(field: string, value: Value): void;
}

function described(form: FormState, name: string, hint?: string): { id: string; describedBy: string | undefined; error: string | undefined } {
  const id = `f-${form.target.replace(/[^A-Za-z0-9_-]/g, '-')}-${name}`;
  const error = form.errors[name];
  const parts = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return { id, describedBy: parts.length ? parts.join(' ') : undefined, error };
}

function Beside({ id, name, hint, error }: { id: string; name: string; hint?: string; error?: string }) {
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} class="field-error" data-testid={`error-${name}`}>
          {error}
        </p>
      )}
    </>
  );
}

export function TextField({ form, name, label, hint, onEdit, type = 'text', required = false, autoComplete, inputMode }: FieldProps & {
  type?: 'text' | 'email' | 'tel' | 'number' | 'date' | 'time';
  required?: boolean;
  autoComplete?: string;
  inputMode?: 'text' | 'tel' | 'email' | 'numeric';
}) {
  const { id, describedBy, error } = described(form, name, hint);
  return (
    <div class="form-field">
      <label for={id} class="label">
        {label} {!required && <span class="muted">{t.optional}</span>}
      </label>
      <input
        id={id}
        name={name}
        class="input"
        // Preact types each input type's own attributes apart; these fields share the same ones.
        type={type as 'text'}
        required={required}
        autoComplete={autoComplete ?? 'off'}
        inputMode={inputMode}
        value={String(form.values[name] ?? '')}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
        disabled={form.busy}
        onInput={(event) => onEdit(name, (event.currentTarget as HTMLInputElement).value)}
      />
      <Beside id={id} name={name} hint={hint} error={error} />
    </div>
  );
}

export function CheckField({ form, name, label, hint, onEdit }: FieldProps) {
  const { id, describedBy, error } = described(form, name, hint);
  return (
    <div class="form-field check-field">
      <input
        id={id}
        name={name}
        type="checkbox"
        class="check"
        checked={form.values[name] === true}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
        disabled={form.busy}
        onChange={(event) => onEdit(name, (event.currentTarget as HTMLInputElement).checked)}
      />
      <label for={id}>{label}</label>
      <Beside id={id} name={name} hint={hint} error={error} />
    </div>
  );
}

export function SelectField({ form, name, label, hint, onEdit, options, required = true }: FieldProps & {
  options: { value: string; label: string }[];
  required?: boolean;
}) {
  const { id, describedBy, error } = described(form, name, hint);
  return (
    <div class="form-field">
      <label for={id} class="label">
        {label}
      </label>
      <select
        id={id}
        name={name}
        class="select"
        required={required}
        value={String(form.values[name] ?? '')}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
        disabled={form.busy}
        onChange={(event) => onEdit(name, (event.currentTarget as HTMLSelectElement).value)}
      >
        {required && <option value="">{t.choose}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Beside id={id} name={name} hint={hint} error={error} />
    </div>
  );
}

/** A form: its fields, a save and a close button, and a refusal that names none of its fields. */
export function RecordForm({ form, title, onSubmit, onClose, children, submitLabel = t.save }: {
  form: FormState;
  title: string;
  onSubmit(): void;
  onClose(): void;
  children: ComponentChildren;
  submitLabel?: string;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [form.target]);
  return (
    <form
      class="record-form"
      aria-labelledby={`${form.target}-form-title`}
      data-testid="record-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <h3 id={`${form.target}-form-title`} tabIndex={-1} ref={heading}>
        {title}
      </h3>
      {children}
      <p class="error" role="alert" data-testid="form-error">
        {form.error ?? ''}
      </p>
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={form.busy}>
          {form.busy ? t.saving : submitLabel}
        </button>
        <button type="button" class="btn" onClick={onClose}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}

/** The list's search: the list follows what is typed, a moment after the typing stops. */
export function SearchBox({ id, label, value, onQuery }: { id: string; label: string; value: string; onQuery(query: string): void }) {
  const [text, setText] = useState(value);
  useEffect(() => {
    if (text === value) return undefined;
    const timer = window.setTimeout(() => onQuery(text), 250);
    return () => window.clearTimeout(timer);
  }, [text, value, onQuery]);
  return (
    <div class="form-field search-field" role="search">
      <label for={id} class="label">
        {label}
      </label>
      <input
        id={id}
        type="search"
        class="input"
        value={text}
        maxLength={100}
        aria-describedby={`${id}-hint`}
        onInput={(event) => setText((event.currentTarget as HTMLInputElement).value)}
      />
      <p id={`${id}-hint`} class="hint">
        {t.searchHint}
      </p>
    </div>
  );
}

/** What the last action did, said politely to screen readers. */
export function Notice({ text }: { text: string | null }) {
  return (
    <p class="feedback" role="status" data-testid="notice">
      {text ?? ''}
    </p>
  );
}
