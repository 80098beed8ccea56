/** Staff app entry: sign-in, then the schedule. */
import '../styles.css';
import { ApiError, errorText } from '../api';
import { completeCognitoSignIn, devLogin, getToken, listDevUsers, loadRuntimeConfig, signOut, startCognitoSignIn } from '../auth';
import { byId, clear, h } from '../dom';
import { t } from '../texts';
import { loadStaff } from './session';
import { renderSchedule } from './schedule';

const root = byId('app');

function header(name: string | null): HTMLElement {
  const bar = h('header', { class: 'topbar' }, h('h1', { class: 'brand' }, t.appTitle));
  if (name) {
    const out = h('button', { type: 'button', class: 'btn btn-quiet' }, t.signOut);
    out.addEventListener('click', () => {
      signOut();
      location.reload();
    });
    bar.append(h('span', { class: 'whoami' }, t.signedInAs(name)), out);
  }
  return bar;
}

async function signInScreen(): Promise<void> {
  clear(root);
  const main = h('main', { class: 'signin' }, h('h2', {}, t.signInTitle));
  const error = h('p', { class: 'error', role: 'alert' });
  root.append(header(null), main);
  const config = await loadRuntimeConfig();
  if (config.auth === 'cognito' && config.cognito) {
    const cognito = config.cognito;
    if (await completeCognitoSignIn(cognito).catch(() => false)) return start();
    const button = h('button', { type: 'button', class: 'btn btn-primary btn-large' }, t.signInCognito);
    button.addEventListener('click', () => void startCognitoSignIn(cognito));
    main.append(button, error);
    return;
  }
  main.append(h('p', {}, t.signInLocalIntro));
  const list = h('ul', { class: 'user-list' });
  main.append(list, error);
  try {
    for (const user of await listDevUsers()) {
      const button = h('button', { type: 'button', class: 'btn btn-block', 'data-employee-id': user.employee_id }, t.signInAs(user.name, user.role));
      button.addEventListener('click', async () => {
        button.disabled = true;
        try {
          await devLogin(user.employee_id);
          await start();
        } catch (err) {
          error.textContent = errorText(err);
          button.disabled = false;
        }
      });
      list.append(h('li', {}, button));
    }
  } catch (err) {
    error.textContent = errorText(err);
  }
}

async function start(): Promise<void> {
  const token = getToken();
  if (!token) return signInScreen();
  clear(root);
  root.append(h('p', { class: 'loading' }, t.loading));
  try {
    const staff = await loadStaff(token);
    clear(root);
    const main = h('main', { class: 'staff-main' });
    root.append(header(staff.name), main);
    await renderSchedule(main, staff);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      signOut();
      await signInScreen();
      return;
    }
    clear(root);
    root.append(header(null), h('p', { class: 'error', role: 'alert' }, errorText(err)));
  }
}

void start();
