/**
 * Clients (R33): the list with its search, adding a client, and changing their name, email, mobile phone, consent
 * to text messages (recorded with who and when, R28) and preferred language (R30).
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Client, ClientCreate, ClientPatch } from '../api/types';
import { timeOfDay, dayLabel } from '../format';
import type { Staff } from '../staff/session';
import { staffApi } from '../staff/session';
import { t } from '../texts/staff';
import { CheckField, Notice, RecordForm, SearchBox, SelectField, TextField } from './fields';
import type { Values } from './records';
import { useRecords } from './useRecords';

export const LANGUAGES = ['en', 'es'];

function valuesOf(client: Client | null): Values {
  return {
    name: client?.name ?? '',
    email: client?.email ?? '',
    mobile_phone: client?.mobile_phone ?? '',
    sms_consent: Boolean(client?.sms_consent),
    preferred_language: client?.preferred_language ?? 'en',
  };
}

/** What to send: a new client's filled fields, or what changed on an existing one (an emptied field is removed). */
export function clientBody(values: Values, before: Client | null): ClientPatch {
  const text = (name: string): string => String(values[name] ?? '').trim();
  const body: Record<string, string | boolean | null> = {};
  const was = valuesOf(before);
  for (const name of ['name', 'email', 'mobile_phone', 'preferred_language']) {
    const now = text(name);
    if (before && now === String(was[name])) continue;
    if (now !== '') body[name] = now;
    else if (before && name !== 'name') body[name] = null;
  }
  if (values.sms_consent !== was.sms_consent) body.sms_consent = values.sms_consent === true;
  return body as ClientPatch; // each field as the API's CLIENT_PATCH takes it (the form's language list is the API's)
}

export function Clients({ staff }: { staff: Staff }) {
  const read = useCallback((q: string) => staffApi('get', '/api/clients', { query: { q } }) as Promise<Client[]>, []);
  const { state, dispatch, act, edit, query } = useRecords<Client>(read);
  const form = state.form;
  // Who recorded a consent (R28) is kept as their employee id; the list names them.
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    void staffApi('get', '/api/employees')
      .then((list) => setNames(Object.fromEntries(list.map((e) => [e.id, e.name]))))
      .catch(() => setNames({}));
  }, []);
  const editing = form && form.target !== 'new' ? (state.items ?? []).find((c) => c.id === form.target) ?? null : null;
  const save = (): void => {
    if (!form) return;
    dispatch({ type: 'submit' });
    const body = clientBody(form.values, editing);
    void act(async () => {
      const saved = editing
        ? await staffApi('patch', '/api/clients/{client_id}', { path: { client_id: editing.id }, body })
        : await staffApi('post', '/api/clients', { body: body as ClientCreate }); // a new client's body has its name (required)
      return t.clientSaved(saved.name);
    });
  };
  const consent = (c: Client): string | null => {
    if (c.sms_status === 'opted_out') return t.smsOptedOut;
    if (!c.sms_consent) return null;
    const at = `${dayLabel(c.sms_consent.at, staff.zone, staff.locale)} ${timeOfDay(c.sms_consent.at, staff.zone, staff.locale)}`;
    return t.smsConsentRecorded(at, names[c.sms_consent.by] ?? c.sms_consent.by);
  };
  return (
    <section class="console-section" aria-labelledby="clients-title">
      <h2 id="clients-title">{t.sections.clients}</h2>
      <div class="toolbar">
        <SearchBox id="clients-search" label={t.search} value={state.query} onQuery={query} />
        <button type="button" class="btn btn-primary" onClick={() => dispatch({ type: 'open', target: 'new', values: valuesOf(null) })}>
          {t.addClient}
        </button>
      </div>
      <Notice text={state.notice} />
      {form && (
        <RecordForm form={form} title={editing ? `${t.edit} ${editing.name}` : t.addClient} onSubmit={save} onClose={() => dispatch({ type: 'close' })}>
          <TextField form={form} name="name" label={t.clientNameField} required autoComplete="off" onEdit={edit} />
          <TextField form={form} name="email" label={t.emailField} type="email" inputMode="email" onEdit={edit} />
          <TextField form={form} name="mobile_phone" label={t.mobilePhoneField} type="tel" inputMode="tel" hint={t.mobilePhoneHint} onEdit={edit} />
          <CheckField form={form} name="sms_consent" label={t.smsConsentField} hint={editing ? consent(editing) ?? undefined : undefined} onEdit={edit} />
          <SelectField
            form={form}
            name="preferred_language"
            label={t.languageField}
            options={LANGUAGES.map((code) => ({ value: code, label: t.languages[code] ?? code }))}
            required={false}
            onEdit={edit}
          />
        </RecordForm>
      )}
      <p class="error" role="alert">
        {state.listError ?? ''}
      </p>
      <ul class="record-list" aria-busy={state.items === null} aria-label={t.sections.clients}>
        {state.items?.length === 0 && <li class="muted">{t.noneFound}</li>}
        {state.items?.map((c) => (
          <li key={c.id} class="record-row" data-client-id={c.id}>
            <span class="record-main">
              <strong>{c.name}</strong>
            </span>
            <span class="record-meta">
              {[c.email ?? t.noEmail, c.mobile_phone, t.languages[c.preferred_language] ?? c.preferred_language, consent(c)].filter(Boolean).join(' · ')}
            </span>
            <button type="button" class="btn" aria-label={`${t.edit} ${c.name}`} onClick={() => dispatch({ type: 'open', target: c.id, values: valuesOf(c) })}>
              {t.edit}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
