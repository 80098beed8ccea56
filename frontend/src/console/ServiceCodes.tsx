/** Service codes (R33): the list with its search, adding one, and changing a name or whether it allows video (R01). */
import { useCallback } from 'preact/hooks';
import type { ServiceCode } from '../api/types';
import { staffApi } from '../staff/session';
import { t } from '../texts/staff';
import { CheckField, Notice, RecordForm, SearchBox, TextField } from './fields';
import { useRecords } from './useRecords';

export function ServiceCodes() {
  const read = useCallback((q: string) => staffApi('get', '/api/service-codes', { query: { q } }), []);
  const { state, dispatch, act, edit, query } = useRecords<ServiceCode>(read);
  const form = state.form;
  const save = (): void => {
    if (!form) return;
    dispatch({ type: 'submit' });
    const { code, name, allows_virtual_visits } = form.values as { code: string; name: string; allows_virtual_visits: boolean };
    void act(async () => {
      const body = { name: name.trim(), allows_virtual_visits };
      const saved =
        form.target === 'new'
          ? await staffApi('post', '/api/service-codes', { body: { code: code.trim(), ...body } })
          : await staffApi('patch', '/api/service-codes/{code}', { path: { code: form.target }, body });
      return t.serviceCodeSaved(saved.code);
    });
  };
  return (
    <section class="console-section" aria-labelledby="services-title">
      <h2 id="services-title">{t.sections.services}</h2>
      <div class="toolbar">
        <SearchBox id="services-search" label={t.search} value={state.query} onQuery={query} />
        <button type="button" class="btn btn-primary" onClick={() => dispatch({ type: 'open', target: 'new', values: { code: '', name: '', allows_virtual_visits: false } })}>
          {t.addServiceCode}
        </button>
      </div>
      <Notice text={state.notice} />
      {form && (
        <RecordForm form={form} title={form.target === 'new' ? t.addServiceCode : `${t.edit} ${form.target}`} onSubmit={save} onClose={() => dispatch({ type: 'close' })}>
          {form.target === 'new' && <TextField form={form} name="code" label={t.serviceCodeField} hint={t.serviceCodeHint} required onEdit={edit} />}
          <TextField form={form} name="name" label={t.serviceNameField} required onEdit={edit} />
          <CheckField form={form} name="allows_virtual_visits" label={t.allowsVirtualField} onEdit={edit} />
        </RecordForm>
      )}
      <p class="error" role="alert">
        {state.listError ?? ''}
      </p>
      <ul class="record-list" aria-busy={state.items === null} aria-label={t.sections.services}>
        {state.items?.length === 0 && <li class="muted">{t.noneFound}</li>}
        {state.items?.map((s) => (
          <li key={s.code} class="record-row" data-code={s.code}>
            <span class="record-main">
              <strong>{s.code}</strong> {s.name}
            </span>
            <span class="record-meta">{s.allows_virtual_visits ? t.allowsVirtualField : t.inPersonVisit}</span>
            <button
              type="button"
              class="btn"
              aria-label={`${t.edit} ${s.code}`}
              onClick={() => dispatch({ type: 'open', target: s.code, values: { name: s.name, allows_virtual_visits: s.allows_virtual_visits } })}
            >
              {t.edit}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
