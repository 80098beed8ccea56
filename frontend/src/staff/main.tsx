/**
 * The staff app (/): sign-in, then the schedule, its preview and the visit dialog. Its state is state.ts's;
 * this file turns the API's answers and the user's clicks into events and reads what a state needs (the
 * visits of the period shown, the people a coordinator can pick, the service names).
 */
import '../styles/base.css';
import '../styles/staff.css';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorText } from '../api/client';
import type { ScheduleEntry } from '../api/types';
import { completeCognitoSignIn, devLogin, getToken, listDevUsers, loadRuntimeConfig, signOut, startCognitoSignIn } from '../auth';
import type { CognitoConfig } from '../auth';
import { dateKey } from '../calendar';
import { createPoller } from '../poller';
import { createStore } from '../store';
import { registerShell } from './shell';
import { clientTexts } from '../texts/client';
import { t } from '../texts/staff';
import { Guard } from '../ui/Guard';
import { Preview } from './Preview';
import { Schedule } from './Schedule';
import type { ScheduleActions } from './Schedule';
import { SignIn } from './SignIn';
import { loadServiceNames, loadStaff, staffApi, withAgency } from './session';
import type { Staff } from './session';
import { SECTIONS, initialStaff, periodRange, reduceStaff, scheduleKey, schedulePollMs } from './state';
import type { ScheduleState, Section, StaffEvent, StaffState } from './state';
import { VisitDialog } from './visit/VisitDialog';

const store = createStore<StaffState, StaffEvent>(initialStaff, reduceStaff, changed);
const dispatch = store.dispatch;
let cognito: CognitoConfig | null = null;
let reading = '';
// The caregiver's own schedule looks again while a client could be waiting for them (R35).
const schedulePoller = createPoller(async () => {
  const state = store.get();
  if (state.screen === 'schedule') await readVisits(state.staff, state.schedule);
});
const repace = (): void => schedulePoller.pace(schedulePollMs(store.get(), Date.now(), document.hidden));

function changed(state: StaffState, previous: StaffState): void {
  if (state.screen === 'schedule' && (previous.screen !== 'schedule' || previous.section !== state.section)) {
    // The section is in the address, so a reload (or the installed app's shortcut) opens it again.
    const hash = state.section === 'schedule' ? '' : `#${state.section}`;
    if (location.hash !== hash) history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
  }
  repace();
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
    dispatch({
      type: 'signed-in',
      staff,
      today: dateKey(new Date(), staff.zone),
      askedDay: new URLSearchParams(location.search).get('day'),
      askedSection: location.hash.slice(1) || null,
    });
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

/** The coordinator's sections, as links (the address keeps the section). */
function Sections({ section }: { section: Section }) {
  return (
    <nav class="sections" aria-label={t.sectionsNav}>
      <ul>
        {SECTIONS.map((name) => (
          <li key={name}>
            <a
              href={name === 'schedule' ? '#' : `#${name}`}
              class="section-link"
              aria-current={name === section ? 'page' : undefined}
              onClick={(event) => {
                event.preventDefault();
                dispatch({ type: 'section', section: name });
              }}
            >
              {t.sections[name]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

type ConsoleModule = typeof import('../console/index');
let consoleModule: Promise<ConsoleModule> | null = null;

/** The console's code, fetched the first time a coordinator opens a section other than the schedule. */
function useConsole(wanted: boolean): ConsoleModule | null {
  const [loaded, setLoaded] = useState<ConsoleModule | null>(null);
  useEffect(() => {
    if (!wanted || loaded) return;
    consoleModule ??= import('../console/index');
    consoleModule.then(setLoaded).catch(() => {
      consoleModule = null;
      dispatch({ type: 'failed', message: clientTexts.en.networkError });
    });
  }, [wanted, loaded]);
  return loaded;
}

function SectionPage({ state }: { state: Extract<StaffState, { screen: 'schedule' }> }) {
  const { staff, today } = state;
  const module = useConsole(state.section !== 'schedule');
  if (state.section === 'schedule') return <Schedule schedule={state.schedule} staff={staff} actions={scheduleActions} />;
  if (!module) return <p class="loading">{t.loading}</p>;
  const { LiveBoard, Visits, Clients, Employees, ServiceCodes, Report, Settings } = module;
  switch (state.section) {
    case 'board':
      return <LiveBoard staff={staff} today={today} />;
    case 'visits':
      return <Visits staff={staff} today={today} />;
    case 'clients':
      return <Clients staff={staff} />;
    case 'staff':
      return <Employees staff={staff} />;
    case 'services':
      return <ServiceCodes />;
    case 'report':
      return <Report staff={staff} today={today} />;
    case 'settings':
      return <Settings onSaved={(agency) => dispatch({ type: 'agency', staff: withAgency(staff, agency) })} />;
  }
}

/**
 * Says plainly that the connection went away while the app is open (the service worker covers opening it with
 * none). It follows the browser's online and offline events, not its first guess: a browser on a network with no
 * route out can call itself offline while this origin answers.
 */
function OfflineBanner() {
  const [online, setOnline] = useState(true);
  useEffect(() => {
    const update = (): void => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online ? null : (
    <p class="offline-banner" role="status" data-testid="offline-banner">
      {t.offline}
    </p>
  );
}

function Header({ name }: { name: string | null }) {
  return (
    <>
    <OfflineBanner />
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
    </>
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
          {state.staff.isCoordinator && <Sections section={state.section} />}
          <main class="staff-main">
            <SectionPage key={state.section} state={state} />
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
document.addEventListener('visibilitychange', () => {
  repace();
  if (!document.hidden && schedulePollMs(store.get(), Date.now(), false) !== null) schedulePoller.now();
});
window.addEventListener('hashchange', () => dispatch({ type: 'section', section: location.hash.slice(1) }));
registerShell();
