/**
 * A console screen of records (service codes, clients, staff, visits) as one state: the list with its search,
 * the one form open (adding, or changing a row), the question before a destructive action, and what the last
 * action did. Pure: tested in records.test.ts.
 *
 *   reading ──items──▶ listed ──open──▶ form ──submit──▶ saving ──saved──▶ listed (the row changed, a notice)
 *      ▲                  │  ▲            ▲                 └──refused──▶ form (the API's Message beside its field)
 *      └──── query ───────┘  └─ close ────┘
 *                         └──ask──▶ confirming ──yes──▶ saving            (R33: confirm before destroying)
 *                                       └──no──▶ listed
 */

export type Value = string | boolean;
export type Values = Record<string, Value>;

export interface FormState {
  /** What the form is for: 'new', or the id of the row it changes (with an action name: 'v1:reschedule'). */
  target: string;
  values: Values;
  /** Refusals placed beside the field they name (R33). */
  errors: Record<string, string>;
  /** A refusal that names no field of this form. */
  error: string | null;
  busy: boolean;
}

export interface Confirming {
  /** The row and the action, e.g. 'v1:cancel' or 'emp1:deactivate'. */
  target: string;
  question: string;
  busy: boolean;
  error: string | null;
}

export interface RecordsState<T> {
  query: string;
  /** What else the list is of (the visits' day); '' for lists of everything. */
  scope: string;
  /** Null while the list is read. */
  items: T[] | null;
  listError: string | null;
  form: FormState | null;
  confirming: Confirming | null;
  notice: string | null;
}

export type RecordsEvent<T> =
  | { type: 'query'; query: string }
  | { type: 'scope'; scope: string }
  | { type: 'reread' }
  | { type: 'items'; key: string; items: T[] }
  | { type: 'list-failed'; key: string; message: string }
  | { type: 'open'; target: string; values: Values; keepNotice?: boolean }
  | { type: 'edit'; field: string; value: Value }
  | { type: 'close' }
  | { type: 'submit' }
  | { type: 'refused'; code: string; message: string }
  | { type: 'saved'; notice: string }
  | { type: 'ask'; target: string; question: string }
  | { type: 'answer'; yes: boolean };

export function initialRecords<T>(scope = ''): RecordsState<T> {
  return { query: '', scope, items: null, listError: null, form: null, confirming: null, notice: null };
}

/** What a list answer is for: an answer for an older search or scope is dropped. */
export function listKey(state: Pick<RecordsState<unknown>, 'query' | 'scope'>): string {
  return `${state.scope}|${state.query}`;
}

/** Codes whose Message names no field in its words, and the field each is about. */
const CODE_FIELDS: Record<string, string> = {
  SERVICE_NOT_VIRTUAL: 'service_code', // R01
  VISIT_IN_PROGRESS: 'employee_id',
  EMAIL_IN_USE: 'email',
};

/** The field a refusal is about: the one its Message names ("The field 'email' …"), else its code's. */
export function refusedField(code: string, message: string, fields: readonly string[]): string | null {
  const named = /The field '([A-Za-z0-9_]+)'/.exec(message)?.[1];
  if (named && fields.includes(named)) return named;
  const byCode = CODE_FIELDS[code];
  return byCode && fields.includes(byCode) ? byCode : null;
}

export function reduceRecords<T>(state: RecordsState<T>, event: RecordsEvent<T>): RecordsState<T> {
  switch (event.type) {
    case 'query':
      return event.query === state.query ? state : { ...state, query: event.query, items: null, listError: null };
    case 'scope':
      return event.scope === state.scope ? state : { ...state, scope: event.scope, items: null, listError: null, form: null };
    case 'reread':
      return { ...state, items: null, listError: null };
    case 'items':
      return event.key === listKey(state) ? { ...state, items: event.items, listError: null } : state;
    case 'list-failed':
      return event.key === listKey(state) ? { ...state, items: [], listError: event.message } : state;
    case 'open':
      return { ...state, form: { target: event.target, values: event.values, errors: {}, error: null, busy: false }, notice: event.keepNotice ? state.notice : null, confirming: null };
    case 'edit': {
      if (!state.form || state.form.busy) return state;
      const { [event.field]: _, ...errors } = state.form.errors;
      return { ...state, form: { ...state.form, values: { ...state.form.values, [event.field]: event.value }, errors } };
    }
    case 'close':
      return { ...state, form: null };
    case 'submit':
      return state.form && !state.form.busy ? { ...state, form: { ...state.form, busy: true, errors: {}, error: null }, notice: null } : state;
    case 'refused': {
      if (state.confirming?.busy) return { ...state, confirming: { ...state.confirming, busy: false, error: event.message } };
      if (!state.form) return { ...state, notice: null, listError: event.message };
      const field = refusedField(event.code, event.message, Object.keys(state.form.values));
      const form = { ...state.form, busy: false };
      return { ...state, form: field ? { ...form, errors: { [field]: event.message } } : { ...form, error: event.message } };
    }
    case 'saved':
      return { ...state, form: null, confirming: null, notice: event.notice, items: null, listError: null };
    case 'ask':
      return { ...state, confirming: { target: event.target, question: event.question, busy: false, error: null }, notice: null };
    case 'answer':
      if (!state.confirming) return state;
      return event.yes ? { ...state, confirming: { ...state.confirming, busy: true, error: null } } : { ...state, confirming: null };
  }
}

/** The form's values as the API takes them: text trimmed, and empty optional text left out. */
export function filled(values: Values, optional: readonly string[] = []): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const [name, value] of Object.entries(values)) {
    const v = typeof value === 'string' ? value.trim() : value;
    if (v === '' && optional.includes(name)) continue;
    out[name] = v;
  }
  return out;
}
