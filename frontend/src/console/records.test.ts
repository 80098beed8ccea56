import { describe, expect, it } from 'vitest';
import { filled, initialRecords, listKey, reduceRecords, refusedField } from './records';
import type { RecordsEvent, RecordsState } from './records';

type Row = { id: string };
const reduce = (state: RecordsState<Row>, ...events: RecordsEvent<Row>[]): RecordsState<Row> => events.reduce(reduceRecords, state);
const listed = reduce(initialRecords<Row>(), { type: 'items', key: '|', items: [{ id: 'a' }] });

describe('a console screen of records (R33)', () => {
  it('test_r33_a_refusal_shows_beside_the_field_its_message_names', () => {
    expect(refusedField('BAD_REQUEST', "The field 'email' must be an email address.", ['name', 'email'])).toBe('email');
    expect(refusedField('ALREADY_EXISTS', "The field 'code' names a service code that already exists.", ['code', 'name'])).toBe('code');
    // A code whose words name no field, placed by its code
    expect(refusedField('SERVICE_NOT_VIRTUAL', 'This service code does not allow virtual visits.', ['service_code', 'virtual'])).toBe('service_code');
    // A field this form does not have, or no field at all: under the form
    expect(refusedField('BAD_REQUEST', "The field 'padding' is not accepted here.", ['name'])).toBeNull();
    expect(refusedField('SERVICE_BUSY', 'The service is very busy just now.', ['name'])).toBeNull();
  });

  it('test_r33_a_form_is_submitted_refused_beside_its_field_edited_and_saved', () => {
    const open = reduce(listed, { type: 'open', target: 'new', values: { name: 'Ann', email: 'x' } });
    const refused = reduce(open, { type: 'submit' }, { type: 'refused', code: 'BAD_REQUEST', message: "The field 'email' must be an email address." });
    expect(refused.form).toMatchObject({ busy: false, errors: { email: "The field 'email' must be an email address." }, error: null });
    // Editing the field clears its refusal; the other fields keep theirs
    const edited = reduce(refused, { type: 'edit', field: 'email', value: 'ann@example.com' });
    expect(edited.form?.errors).toEqual({});
    expect(edited.form?.values.email).toBe('ann@example.com');
    const general = reduce(edited, { type: 'submit' }, { type: 'refused', code: 'SERVICE_BUSY', message: 'Busy.' });
    expect(general.form).toMatchObject({ error: 'Busy.', errors: {} });
    const saved = reduce(general, { type: 'submit' }, { type: 'saved', notice: 'Client Ann saved.' });
    expect(saved).toMatchObject({ form: null, notice: 'Client Ann saved.', items: null });
  });

  it('a form is not edited or sent twice while it is being saved', () => {
    const saving = reduce(listed, { type: 'open', target: 'new', values: { name: 'Ann' } }, { type: 'submit' });
    expect(reduce(saving, { type: 'edit', field: 'name', value: 'Bob' })).toBe(saving);
    expect(reduce(saving, { type: 'submit' })).toBe(saving);
  });

  it('test_r33_destroying_something_asks_first_and_no_keeps_everything', () => {
    const asked = reduce(listed, { type: 'ask', target: 'v1:cancel', question: 'Cancel the visit?' });
    expect(asked.confirming).toMatchObject({ target: 'v1:cancel', busy: false });
    expect(reduce(asked, { type: 'answer', yes: false })).toEqual({ ...listed, confirming: null });
    const refused = reduce(asked, { type: 'answer', yes: true }, { type: 'refused', code: 'VISIT_COMPLETED', message: 'It took place.' });
    expect(refused.confirming).toMatchObject({ busy: false, error: 'It took place.' });
    expect(reduce(asked, { type: 'answer', yes: true }, { type: 'saved', notice: 'Visit cancelled.' })).toMatchObject({ confirming: null, notice: 'Visit cancelled.' });
  });

  it('an answer for an older search or day is dropped', () => {
    const searching = reduce(listed, { type: 'query', query: 'ri' });
    expect(searching.items).toBeNull();
    expect(reduce(searching, { type: 'items', key: '|', items: [] })).toBe(searching);
    expect(reduce(searching, { type: 'items', key: listKey(searching), items: [{ id: 'b' }] }).items).toEqual([{ id: 'b' }]);
    const day = reduce(searching, { type: 'scope', scope: '2026-11-26' });
    expect(reduce(day, { type: 'items', key: '|ri', items: [] }).items).toBeNull();
  });

  it('sends trimmed text and leaves out empty optional fields', () => {
    expect(filled({ name: ' Ann ', email: '', virtual: true }, ['email'])).toEqual({ name: 'Ann', virtual: true });
  });
});
