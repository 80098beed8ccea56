/** The agency's settings: its time zone (R37's dates), its locale (R44) and the reminder's minutes (R32). */
import { useCallback, useEffect } from 'preact/hooks';
import type { Agency } from '../api/types';
import { staffApi } from '../staff/session';
import { t } from '../texts/staff';
import { Notice, RecordForm, SelectField, TextField } from './fields';
import type { Values } from './records';
import { useRecords } from './useRecords';

/** The time zones the browser knows (the API checks the name against its own list). */
function zones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return known.includes(current) ? known : [current, ...known];
}

const valuesOf = (agency: Agency): Values => ({
  time_zone: agency.time_zone,
  locale: agency.locale,
  reminder_minutes: String(agency.reminder_minutes),
});

export function Settings({ onSaved }: { onSaved(agency: Agency): void }) {
  const read = useCallback(async () => [await staffApi('get', '/api/agency')], []);
  const { state, dispatch, act, edit } = useRecords<Agency>(read);
  const agency = state.items?.[0] ?? null;
  const form = state.form;
  useEffect(() => {
    if (agency && !form) dispatch({ type: 'open', target: 'agency', values: valuesOf(agency), keepNotice: true });
  }, [agency, form, dispatch]);
  const save = (): void => {
    if (!form) return;
    dispatch({ type: 'submit' });
    const minutes = String(form.values.reminder_minutes).trim();
    const body = {
      time_zone: String(form.values.time_zone),
      locale: String(form.values.locale).trim(),
      // A number the API can refuse by name (R33), never a silent 0 for what was not a number.
      reminder_minutes: /^\d+$/.test(minutes) ? Number(minutes) : (minutes as unknown as number),
    };
    void act(async () => {
      onSaved(await staffApi('patch', '/api/agency', { body }));
      return t.settingsSaved;
    });
  };
  return (
    <section class="console-section" aria-labelledby="settings-title">
      <h2 id="settings-title">{t.settingsTitle}</h2>
      <Notice text={state.notice} />
      <p class="error" role="alert">
        {state.listError ?? ''}
      </p>
      {form && agency && (
        <RecordForm form={form} title={agency.name} onSubmit={save} onClose={() => dispatch({ type: 'open', target: 'agency', values: valuesOf(agency) })}>
          <SelectField
            form={form}
            name="time_zone"
            label={t.timeZoneField}
            hint={t.timeZoneHint}
            options={zones(String(form.values.time_zone)).map((z) => ({ value: z, label: z.replace(/_/g, ' ') }))}
            required={false}
            onEdit={edit}
          />
          <TextField form={form} name="locale" label={t.localeField} hint={t.localeHint} required onEdit={edit} />
          <TextField form={form} name="reminder_minutes" label={t.reminderField} hint={t.reminderHint} type="number" inputMode="numeric" required onEdit={edit} />
        </RecordForm>
      )}
    </section>
  );
}
