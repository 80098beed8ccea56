/**
 * Every text a client can see, one table per language: the join page and the call stage (controls, banners);
 * the camera and microphone guidance per browser is in guidance.ts (loaded only when a browser blocks them). The caregiver's call window uses the same stage and guidance,
 * from the `en` table. Texts quoted in SPEC.md are copied exactly, with the rule ID beside them.
 * The client's refusals (R10, R13, R20/R23, R34) are here too, keyed by the API's Code, so the page says them in
 * the page's language whatever language the API answered in; other messages from the API are shown as written.
 * A language is added by adding a table of the same shape (R30): `client.es.ts` is Spanish, loaded only when a
 * page speaks it (the join page's budget, docs/FRONTEND.md). The staff app's texts are in staff.ts, so the join
 * page never downloads them.
 */
export const en = {
  language: 'en' as Language,
  locale: 'en-US', // R44: how this language writes times, when the reader's browser speaks another
  pageTitle: 'Your video visit',
  languageSwitch: 'Language',
  genericError: 'Something went wrong. Please try again.',
  networkError: 'The service cannot be reached. Check your connection and try again.',
  loading: 'Loading…',
  tryAgain: 'Try again',

  // The join page (R16, R19, R20, R44)
  joinWith: (agency: string) => `Video visit with ${agency}`,
  yourCaregiver: 'Your caregiver',
  visitTime: 'Time',
  // The zone as the email and the text name it (R44: the API's `zone_names`, from the server's table): "Eastern Time"
  zoneLabel: (zone: string) => zone,
  caregiverWillJoin: 'Your caregiver will join shortly.', // R16
  checkDevices: 'Check camera and microphone',
  join: 'Join',
  joining: 'Joining…',
  // Issue 16: many visits start at once and the video service lets them in a few at a time.
  connecting: 'Connecting you to the call… Many visits are starting right now, so this can take a minute. Please stay on this page.',
  rejoin: 'Rejoin',
  youLeft: 'You have left the call. You can rejoin while the visit lasts.',
  caregiverEnded: 'Your caregiver has ended the session. You can now close this page.', // R20
  linkInvalid: 'This link is no longer valid. Please ask your care provider for a new invitation.', // R10
  linkExpired: 'This link has expired. Please contact your care provider for a new invitation.', // R13
  visitCancelled: 'This visit was cancelled. Please contact your care provider.', // R34
  closePage: 'Close this page',
  closeByHand: 'You can now close this tab or window.',

  // Camera and microphone (R14, R42: asked for only once the API allowed the join)
  devicePrompt: 'This call uses your camera and microphone. When your browser asks, choose Allow.',
  devicesReady: 'Your camera and microphone work. You can join the call.',
  devicesBlockedTitle: 'Your camera or microphone is blocked',
  inBrowser: (browser: string) => `In ${browser}:`,
  noDevices: 'No camera or microphone was found. Connect one and try again.',
  deviceInUse: 'Another app is using your camera or microphone. Close it and try again.',
  micLevel: 'Microphone level',

  // The call stage (R16, R18)
  selfView: 'Your video',
  remoteView: 'Video of your caregiver',
  mute: 'Mute',
  unmute: 'Unmute',
  cameraOff: 'Turn camera off',
  cameraOn: 'Turn camera on',
  switchCamera: 'Switch camera',
  hangUp: 'Hang up',
  fullscreen: 'Full screen',
  exitFullscreen: 'Exit full screen',
  callControls: 'Call controls',
  turnOnSound: 'Turn on sound',
  noOtherCamera: 'There is no other camera to switch to.',
  reconnecting: 'The connection dropped. Reconnecting…',

};

export type ClientTexts = typeof en;

/** The client's languages (R30): the API's `preferred_language` values, each with a table of the shape of `en`. */
export type Language = 'en' | 'es';
export const LANGUAGES: readonly Language[] = ['en', 'es'];
/** Each language's name in that language, for the switch (known before its table is loaded). */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Español' };

/** Tables already at hand: English always; another once loaded. */
export const clientTexts: Partial<Record<Language, ClientTexts>> & { en: ClientTexts } = { en };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Where each other language's table comes from: its own small chunk, loaded on first use. */
const LOADERS: Record<Exclude<Language, 'en'>, () => Promise<ClientTexts>> = {
  es: () => import('./client.es').then((table) => table.es),
};

/** The table of `language`, loaded on first use. */
export async function loadTexts(language: Language): Promise<ClientTexts> {
  const known = clientTexts[language];
  if (known) return known;
  const loaded = await LOADERS[language as Exclude<Language, 'en'>]();
  clientTexts[language] = loaded;
  return loaded;
}

/** The client's refusals (R10, R13, R16, R20, R23, R34): the API's Code, and the text that says it. */
const REFUSALS: Record<string, keyof ClientTexts> = {
  INVALID_LINK: 'linkInvalid',
  LINK_EXPIRED: 'linkExpired',
  SESSION_OVER: 'caregiverEnded',
  VISIT_CANCELLED: 'visitCancelled',
  WAITING_FOR_CAREGIVER: 'caregiverWillJoin',
};

/** A client's refusal by the API's Code, in this table's language (null: not one of them). */
export function refusalText(texts: ClientTexts, code: string | null | undefined): string | null {
  const key = code ? REFUSALS[code] : undefined;
  return key ? (texts[key] as string) : null;
}
