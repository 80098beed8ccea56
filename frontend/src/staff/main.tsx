/**
 * The staff app (/): sign-in, then the schedule, its preview and the visit dialog. Its state is state.ts's;
 * this file turns the API's answers and the user's clicks into events and reads what a state needs (the
 * visits of the period shown, the people a coordinator can pick, the service names).
 */
import '../styles/base.css';
import '../styles/staff.css';
import { render } from 'preact';
import { ApiError, errorText } from '../api/client';
import type { ScheduleEntry } from '../api/types';
import { completeCognitoSignIn, devLogin, getToken, listDevUsers, loadRuntimeConfig, signOut, startCognitoSignIn } from '../auth';
import type { CognitoConfig } from '../auth';
import { dateKey } from '../calendar';
import { createStore } from '../store';
import { clientTexts } from '../texts/client';
import { t } from '../texts/staff';
import { Guard } from '../ui/Guard';
import { Preview } from './Preview';
import { Schedule } from './Schedule';
import type { ScheduleActions } from './Schedule';
import { SignIn } from './SignIn';
import { loadServiceNames, loadStaff, staffApi } from './session';
import type { Staff } from './session';
import { initialStaff, periodRange, reduceStaff, scheduleKey } from './state';
import type { ScheduleState, StaffEvent, StaffState } from './state';
import { VisitDialog } from './visit/VisitDialog';

const store = createStore<StaffState, StaffEvent>(initialStaff, reduceStaff, changed);
const dispatch = store.dispatch;
let cognito: CognitoConfig | null = null;
let reading = '';

function changed(state: StaffState): void {
  if (state.screen !== 'schedule' || state.schedule.visits !== null) return;
  const key = scheduleKey(state.schedule);
  if (key !== reading) void readVisits(state.staff, state.schedule);
}

/** Reads the visits of the period and person the schedule shows; an answer for an older choice is dropped. */
async function readVisits(staff: Staff, schedule: ScheduleState): Promise<void> {
  const key = (reading = scheduleKey(schedule));
  const query = periodRange(schedule, staff.zone);
  const { kind, id } = schedule.subject;
  try {
    let visits: ScheduleEntry[];
    if (kind === 'employee') visits = await staffApi('get', '/api/employees/{employee_id}/schedule', { path: { employee_id: id }, query });
    else if (kind === 'client') visits = await staffApi('get', '/api/clients/{client_id}/schedule', { path: { client_id: id }, query });
    else visits = await staffApi('get', '/api/schedule', { query });
    dispatch({ type: 'visits', key, visits });
  } catch (err) {
    dispatch({ type: 'visits-failed', key, message: errorText(err) });
  } finally {
    if (reading === key) reading = '';
  }
}

function reread(): void {
  const state = store.get();
  if (state.screen === 'schedule') void readVisits(state.staff, state.schedule);
}

async function signedIn(token: string): Promise<void> {
  try {
    const staff = await loadStaff(token);
    dispatch({ type: 'signed-in', staff, today: dateKey(new Date(), staff.zone), askedDay: new URLSearchParams(location.search).get('day') });
    void loadServiceNames().then((names) => dispatch({ type: 'services', names: Object.fromEntries(names) }));
    if (staff.isCoordinator) {
      const [employees, clients] = await Promise.all([staffApi('get', '/api/employees'), staffApi('get', '/api/clients')]);
      dispatch({ type: 'people', employees, clients });
    }
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      signOut();
      return signInScreen();
    }
    dispatch({ type: 'failed', message: errorText(err) });
  }
}

async function signInScreen(): Promise<void> {
  const config = await loadRuntimeConfig();
  cognito = config.auth === 'cognito' && config.cognito ? config.cognito : null;
  if (cognito && (await completeCognitoSignIn(cognito).catch(() => false))) return start();
  dispatch({ type: 'sign-in', cognito: cognito !== null });
  if (cognito) return;
  try {
    dispatch({ type: 'users', users: await listDevUsers() });
  } catch (err) {
    dispatch({ type: 'sign-in-failed', message: errorText(err) });
  }
}

async function start(): Promise<void> {
  const token = getToken();
  if (token) await signedIn(token);
  else await signInScreen();
}

const scheduleActions: ScheduleActions = {
  view: (view) => dispatch({ type: 'view', view }),
  move: (step) => dispatch({ type: 'move', step }),
  today() {
    const state = store.get();
    if (state.screen === 'schedule') dispatch({ type: 'today', today: dateKey(new Date(), state.staff.zone) });
  },
  subject: (subject) => dispatch({ type: 'subject', subject }),
  open: (visit) => dispatch({ type: 'preview', visit }),
};

function Header({ name }: { name: string | null }) {
  return (
    <header class="topbar">
      <h1 class="brand">{t.appTitle}</h1>
      {name && (
        <>
          <span class="whoami">{t.signedInAs(name)}</span>
          <button
            type="button"
            class="btn btn-quiet"
            onClick={() => {
              signOut();
              location.reload();
            }}
          >
            {t.signOut}
          </button>
        </>
      )}
    </header>
  );
}

function Page({ state }: { state: StaffState }) {
  switch (state.screen) {
    case 'loading':
      return <p class="loading">{t.loading}</p>;
    case 'failed':
      return (
        <>
          <Header name={null} />
          <p class="error" role="alert">
            {state.message}
          </p>
        </>
      );
    case 'sign-in':
      return (
        <>
          <Header name={null} />
          <SignIn
            users={state.users}
            cognito={state.cognito}
            busy={state.busy}
            error={state.error}
            onUser={async (user) => {
              dispatch({ type: 'signing-in' });
              try {
                await devLogin(user.employee_id);
                await start();
              } catch (err) {
                dispatch({ type: 'sign-in-failed', message: errorText(err) });
              }
            }}
            onCognito={() => cognito && void startCognitoSignIn(cognito)}
          />
        </>
      );
    case 'schedule': {
      const open = state.open;
      return (
        <>
          <Header name={state.staff.name} />
          <main class="staff-main">
            <Schedule schedule={state.schedule} staff={state.staff} actions={scheduleActions} />
          </main>
          {open?.kind === 'preview' && (
            <Preview
              visit={open.visit}
              staff={state.staff}
              onDetails={() => dispatch({ type: 'details', visitId: open.visit.id })}
              onClose={() => dispatch({ type: 'close' })}
            />
          )}
          {open?.kind === 'visit' && (
            <VisitDialog key={open.visitId} visitId={open.visitId} staff={state.staff} onChange={reread} onClose={() => dispatch({ type: 'close' })} />
          )}
        </>
      );
    }
  }
}

function draw(): void {
  render(
    <Guard text={clientTexts.en.genericError}>
      <Page state={store.get()} />
    </Guard>,
    document.getElementById('app') as HTMLElement,
  );
}

store.subscribe(draw);
draw();
void start();
