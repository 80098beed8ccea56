/**
 * Staff (R33, R36): the list with its search, adding a caregiver or coordinator (in AWS they get their sign-in),
 * and, after a question, deactivating someone or changing their role. Nobody changes their own account.
 */
import { useCallback } from 'preact/hooks';
import type { Employee } from '../api/types';
import type { Staff } from '../staff/session';
import { staffApi } from '../staff/session';
import { t } from '../texts/staff';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Notice, RecordForm, SearchBox, SelectField, TextField } from './fields';
import { useRecords } from './useRecords';

const ROLES = ['employee', 'coordinator'] as const;
type Role = (typeof ROLES)[number];

export function Employees({ staff }: { staff: Staff }) {
  const read = useCallback((q: string) => staffApi('get', '/api/employees', { query: { q } }), []);
  const { state, dispatch, act, edit, query } = useRecords<Employee>(read);
  const form = state.form;
  const confirming = state.confirming;
  const save = (): void => {
    if (!form) return;
    dispatch({ type: 'submit' });
    const { name, email, role } = form.values as { name: string; email: string; role: Role };
    void act(async () => {
      const added = await staffApi('post', '/api/employees', { body: { name: name.trim(), email: email.trim(), role } });
      return t.employeeInvited(added.name);
    });
  };
  const change = (target: string): void => {
    // The question names the person and the action; the list may be read again meanwhile (a search), so nothing
    // here depends on it.
    const [id, action] = target.split(':');
    dispatch({ type: 'answer', yes: true });
    void act(async () => {
      const body = action === 'deactivate' ? { active: false } : action === 'reactivate' ? { active: true } : { role: action as Role };
      const changed = await staffApi('patch', '/api/employees/{employee_id}', { path: { employee_id: id }, body });
      return changed.active ? t.employeeSaved(changed.name) : t.employeeDeactivated(changed.name);
    });
  };
  return (
    <section class="console-section" aria-labelledby="staff-title">
      <h2 id="staff-title">{t.sections.staff}</h2>
      <div class="toolbar">
        <SearchBox id="staff-search" label={t.search} value={state.query} onQuery={query} />
        <button type="button" class="btn btn-primary" onClick={() => dispatch({ type: 'open', target: 'new', values: { name: '', email: '', role: 'employee' } })}>
          {t.addEmployee}
        </button>
      </div>
      <Notice text={state.notice} />
      {form && (
        <RecordForm form={form} title={t.addEmployee} onSubmit={save} onClose={() => dispatch({ type: 'close' })}>
          <TextField form={form} name="name" label={t.employeeNameField} required onEdit={edit} />
          <TextField form={form} name="email" label={t.emailField} type="email" inputMode="email" required onEdit={edit} />
          <SelectField form={form} name="role" label={t.roleField} options={ROLES.map((r) => ({ value: r, label: t.roles[r] }))} onEdit={edit} />
        </RecordForm>
      )}
      <p class="error" role="alert">
        {state.listError ?? ''}
      </p>
      <ul class="record-list" aria-busy={state.items === null} aria-label={t.sections.staff}>
        {state.items?.length === 0 && <li class="muted">{t.noneFound}</li>}
        {state.items?.map((e) => {
          const self = e.id === staff.me.employee_id;
          const other: Role = e.role === 'coordinator' ? 'employee' : 'coordinator';
          return (
            <li key={e.id} class={`record-row${e.active ? '' : ' is-inactive'}`} data-employee-id={e.id}>
              <span class="record-main">
                <strong>{e.name}</strong> <span class="muted">{t.roles[e.role] ?? e.role}</span>
              </span>
              <span class="record-meta">
                {e.email} · <span data-testid="employee-status">{e.active ? t.active : t.deactivated}</span>
              </span>
              {!self && (
                <span class="btn-group">
                  {e.active && (
                    <button
                      type="button"
                      class="btn"
                      onClick={() => dispatch({ type: 'ask', target: `${e.id}:${other}`, question: t.roleQuestion(e.name, t.roles[other]) })}
                    >
                      {t.makeRole(t.roles[other])}
                    </button>
                  )}
                  {e.active ? (
                    <button type="button" class="btn btn-danger" onClick={() => dispatch({ type: 'ask', target: `${e.id}:deactivate`, question: t.deactivateQuestion(e.name) })}>
                      {t.deactivate}
                    </button>
                  ) : (
                    <button type="button" class="btn" onClick={() => dispatch({ type: 'ask', target: `${e.id}:reactivate`, question: `${t.reactivate} ${e.name}?` })}>
                      {t.reactivate}
                    </button>
                  )}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {confirming && (
        <ConfirmDialog
          testId="staff-confirm"
          question={confirming.question}
          cancel={t.cancel}
          confirm={confirming.target.endsWith(':deactivate') ? t.deactivate : t.yes}
          busy={confirming.busy}
          error={confirming.error}
          onCancel={() => dispatch({ type: 'answer', yes: false })}
          onConfirm={() => change(confirming.target)}
        />
      )}
    </section>
  );
}
