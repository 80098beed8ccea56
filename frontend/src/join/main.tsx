/**
 * The client's join page (/join#<token>), phone first. Its state is state.ts's; this file turns the API's
 * answers, the call runner's events and the client's taps into events, and does what a state asks for:
 * looking at the link at the pace `pollMs` gives, the device check (only once the API said the link is
 * good: R42), joining through the call runner, and joining by itself when the caregiver arrives. The link's
 * token comes from the fragment and is only ever sent in POST bodies; it is never logged.
 *
 * The page speaks the client's language (R30): the API's first answer names it (a refusal says it in its
 * `Content-Language`), and until then the page shows no words at all. The switch on the page changes it; the
 * choice is kept on the device and sent with each request, so the API's own words follow it too.
 */
import '../styles/base.css';
import '../styles/call.css';
import { render } from 'preact';
import { ApiError, api, errorText, setFailureTexts } from '../api/client';
import { browserLanguage, localeFor } from '../format';
import { deviceProblem, micLevelMeter, openDevices, stopStream } from '../media/devices';
import type { RunnerEvent, RunnerHooks } from '../media/runner';
import { createPoller } from '../poller';
import { createStore } from '../store';
import { LANGUAGES, clientTexts, isLanguage, loadTexts } from '../texts/client';
import type { ClientTexts, Language } from '../texts/client';
import { loadGuidance } from '../texts/guidance';
import type { Guidance } from '../texts/guidance';
import { Guard } from '../ui/Guard';
import { holdsPreview, initialJoin, linkToken, pollMs, reduceJoin, refusedVisit, shouldJoin } from './state';
import type { JoinEvent, JoinState } from './state';
import { JoinView } from './view';
import type { CallPart, JoinActions, JoinElements } from './view';

const CHOICE_KEY = 'vv-join-language';
let texts: ClientTexts = clientTexts.en;
let locale = localeFor(texts.language, texts.locale);
let spoken = false; // the page has said nothing yet: until the API names the language, it shows no words
/** The language the client chose on this device with the switch (null: the one the API says is theirs). */
let chosen: Language | null = readChoice();
/** The camera guidance in the page's language, loaded once a browser blocked the devices (R14). */
let guidance: { language: Language; table: Guidance } | null = null;
const token = linkToken(location.hash);
const body = () => ({ token: token ?? '', ...(chosen ? { language: chosen } : {}) });

const store = createStore<JoinState, JoinEvent>(initialJoin, (state, event) => reduceJoin(state, event, texts), changed);
const dispatch = store.dispatch;
const hooks: RunnerHooks = {
  // A busy video service (top of the hour) is waited out, the page saying it is connecting (issue 16); the
  // waiting is the call part's (media/patience.ts), which the page has loaded by then (preload, below).
  join: () =>
    callPart().then(({ patiently }) => patiently(() => api('post', '/api/join/attendee', { body: body() }), () => dispatch({ type: 'connecting' }))),
  leave: (unloading) => api('post', '/api/join/leave', { body: body(), keepalive: unloading }),
};

function readChoice(): Language | null {
  try {
    const stored = localStorage.getItem(CHOICE_KEY);
    return isLanguage(stored) ? stored : null;
  } catch {
    return null; // storage refused (private mode): the client's language then
  }
}

/** Speak `language` from now on: its table (loaded once), its way of writing times, the page's own labels. */
async function speak(language: Language): Promise<void> {
  if (language !== texts.language) {
    try {
      texts = await loadTexts(language);
    } catch {
      // the table could not load: the page stays in the language it has
    }
  }
  spoken = true;
  setFailureTexts(texts);
  locale = localeFor(texts.language, texts.locale);
  document.documentElement.lang = texts.language;
  document.title = texts.pageTitle;
  elements.preview.setAttribute('aria-label', texts.selfView);
  call?.runner.elements.remoteVideo.setAttribute('aria-label', texts.remoteView);
  call?.runner.elements.localVideo.setAttribute('aria-label', texts.selfView);
  needGuidance();
  draw();
}
const elements: JoinElements = { preview: previewVideo(), meter: levelMeter() };
/** The call runner and stage (join/call.ts), loaded once the page has drawn a good link's device check. */
let call: CallPart | null = null;
let loadingCall: Promise<typeof import('./call')> | null = null;
const poller = createPoller(look);
/** The device check's camera and microphone, until the runner takes them or the page lets them go. */
let preview: { stream: MediaStream; stopMeter: () => void } | null = null;

function previewVideo(): HTMLVideoElement {
  const video = document.createElement('video');
  Object.assign(video, { className: 'preview-video', autoplay: true, muted: true, playsInline: true });
  video.setAttribute('aria-label', texts.selfView);
  return video;
}

function levelMeter(): HTMLMeterElement {
  const meter = document.createElement('meter');
  Object.assign(meter, { id: 'mic-level', className: 'meter', min: 0, max: 1, value: 0 });
  return meter;
}

/** The call part's module (one download, however many ask). */
function callPart(): Promise<typeof import('./call')> {
  loadingCall ??= import('./call').catch((err: unknown) => {
    loadingCall = null; // the next Join tries again
    throw err;
  });
  return loadingCall;
}

function loadCall(): Promise<CallPart> {
  return callPart().then(({ CallRunner, Stage, createMediaElements }) => {
    call ??= { runner: new CallRunner(hooks, onRunnerEvent, createMediaElements({ remote: texts.remoteView, self: texts.selfView })), Stage };
    return call;
  });
}

/**
 * Once a good link's page is drawn: the call part and the provider the API named load while the client
 * checks the camera, so "Join" never waits for them (the Chime SDK is 300 KiB: 1.5 s on a slow network).
 * Started after the first paint, so the page itself is never slower; a failure here is retried on Join.
 */
function preload(provider: string): void {
  requestAnimationFrame(() =>
    setTimeout(() => {
      // The provider's chunk is fetched beside the call part, not after it (the same module the join uses).
      // Two statements, not one conditional expression: the bundler gives a conditional of two imports one
      // preload list with both chunks in it, which fetched the local provider for a Chime call.
      if (provider === 'chime') void import('../media/chime').catch(() => undefined);
      else void import('../media/local/session').catch(() => undefined);
      callPart()
        .then((part) => part.preloadProvider(provider))
        .catch(() => undefined);
    }, 0),
  );
}

/** Lets the device check's devices go: the meter always, the camera and microphone unless handed over. */
function releasePreview(handedOver: boolean): void {
  if (!preview) return;
  preview.stopMeter();
  if (!handedOver) stopStream(preview.stream);
  elements.preview.srcObject = null;
  preview = null;
}

/** Blocked devices need the guidance, in the language the page speaks now. */
function needGuidance(): void {
  const state = store.get();
  const blocked = state.phase === 'ready' && state.check.step === 'blocked';
  const language = texts.language;
  if (!blocked || guidance?.language === language) return;
  loadGuidance(language).then(
    (table) => {
      guidance = { language, table };
      draw();
    },
    () => undefined, // the title and "Try again" still show; the next block tries again
  );
}

function changed(state: JoinState, previous: JoinState): void {
  poller.pace(pollMs(state));
  if (state.phase === 'ready' && previous.phase === 'checking') preload(state.info.provider);
  needGuidance();
  if (!holdsPreview(state)) releasePreview(false);
  if (state.phase === 'final' && previous.phase !== 'final') void call?.runner.leave({ tellApi: false });
  if (shouldJoin(state)) void join();
}

function refused(err: unknown): JoinEvent {
  if (err instanceof ApiError && err.status > 0) {
    return { type: 'refused', status: err.status, code: err.code, message: err.message, info: refusedVisit(err.body) };
  }
  return { type: 'failed', message: errorText(err) };
}

/** Asks the API what the link shows now (the first look, the polls, and after the meeting went away). */
async function look(): Promise<void> {
  const first = store.get().phase === 'checking';
  try {
    // A page whose client hung up is open but not waiting (R35): the board says "client left", not "waiting".
    const waiting = store.get().phase !== 'left';
    const info = await api('post', '/api/join', { body: { ...body(), waiting } });
    if (first) await speak(chosen ?? info.language);
    dispatch({ type: 'link', info });
  } catch (err) {
    const event = refused(err);
    if (first) await speak(chosen ?? (err instanceof ApiError && isLanguage(err.language) ? err.language : browserLanguage(LANGUAGES)));
    // A failed background look is retried at the next one; only the first, and refusals, change the page.
    if (first || event.type === 'refused') dispatch(event);
  }
}

/** The runner's events are the page's own (devices blocked, started, peer, stage, meeting gone). */
function onRunnerEvent(event: RunnerEvent): void {
  if (event.type === 'allowed') return releasePreview(true); // the runner holds camera and microphone from here
  dispatch(event);
  // The caregiver hung up or clocked out, the link expired, or the provider ended an idle meeting: the
  // API says which; an open session is waited for and joined again (shouldJoin).
  if (event.type === 'meeting-gone') poller.now();
}

async function join(): Promise<void> {
  dispatch({ type: 'join' });
  if (store.get().phase !== 'joining') return;
  // The call part loads while the API answers: the two arrive together, so the split costs no round trip.
  const answer = hooks.join();
  answer.catch(() => undefined); // handled below, through the runner; not an unhandled rejection meanwhile
  try {
    const { runner } = await loadCall().catch(async (err: unknown) => {
      await answer.then(() => hooks.leave(false)).catch(() => undefined); // counted in, but cannot call
      throw err;
    });
    await runner.join(preview?.stream ?? null, answer);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'WAITING_FOR_CAREGIVER') return dispatch({ type: 'wait' });
    const event = refused(err);
    dispatch(event.type === 'refused' && event.status < 500 ? event : { type: 'join-failed', message: errorText(err) });
  }
}

const actions: JoinActions = {
  retry() {
    dispatch({ type: 'retry' });
    poller.now();
  },
  async check() {
    dispatch({ type: 'check-start' });
    releasePreview(false);
    try {
      const stream = await openDevices();
      if (store.get().phase !== 'ready') return stopStream(stream); // the page moved on meanwhile
      elements.preview.srcObject = stream;
      preview = { stream, stopMeter: micLevelMeter(stream, elements.meter) };
      dispatch({ type: 'check-ok' });
    } catch (err) {
      dispatch({ type: 'devices-blocked', problem: deviceProblem(err) });
    }
  },
  join: () => void join(),
  control(intent) {
    const state = store.get();
    if ('stage' in state) void call?.runner.control(intent, state.stage);
  },
  async hangUp() {
    // The client hangs up: the session stays open and the same link can rejoin (R19).
    dispatch({ type: 'hung-up' });
    await call?.runner.leave({ tellApi: true });
  },
  language(language) {
    chosen = language;
    try {
      localStorage.setItem(CHOICE_KEY, language);
    } catch {
      // storage refused: the choice lasts as long as the page
    }
    void speak(language);
  },
  close() {
    window.close();
    // A tab the browser did not let the page close: say how, rather than leave a button that does nothing.
    window.setTimeout(() => dispatch({ type: 'close-refused' }), 300);
  },
};

function draw(): void {
  render(
    <Guard text={texts.genericError}>
      <JoinView state={store.get()} texts={texts} locale={locale} spoken={spoken} guidance={guidance?.language === texts.language ? guidance.table : null} elements={elements} call={call} actions={actions} />
    </Guard>,
    document.getElementById('app') as HTMLElement,
  );
}

// A new link opened in the same tab changes only the fragment: start again with the new token.
window.addEventListener('hashchange', () => location.reload());
store.subscribe(draw);
draw();
if (token) poller.now();
else {
  // No link to ask the API about: the reader's browser language, or the one chosen here before.
  void speak(chosen ?? browserLanguage(LANGUAGES));
  dispatch({ type: 'refused', status: 400, code: 'INVALID_LINK', message: texts.linkInvalid });
}
