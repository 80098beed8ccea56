/**
 * Every text a client can see, one table per language: the join page, the call stage (controls, banners)
 * and the camera and microphone guidance. The caregiver's call window uses the same stage and guidance,
 * from the `en` table. Texts quoted in SPEC.md are copied exactly, with the rule ID beside them.
 * Messages that come from the API (`Message`) are shown as the API wrote them and are not here.
 * A language is added by adding a table of the same shape (R30); the staff app's texts are in staff.ts,
 * so the join page never downloads them.
 */
export const en = {
  genericError: 'Something went wrong. Please try again.',
  networkError: 'The service cannot be reached. Check your connection and try again.',
  loading: 'Loading…',
  tryAgain: 'Try again',

  // The join page (R16, R19, R20, R44)
  joinWith: (agency: string) => `Video visit with ${agency}`,
  yourCaregiver: 'Your caregiver',
  visitTime: 'Time',
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

  /** Plain-word steps to unblock camera and microphone, per browser (R14). */
  guidance: {
    chrome: {
      name: 'Chrome',
      steps: [
        'Click the camera icon or the padlock at the left of the address bar.',
        'Set Camera and Microphone to Allow.',
        'Click Try again below. If nothing changes, reload the page.',
      ],
    },
    edge: {
      name: 'Microsoft Edge',
      steps: [
        'Click the padlock at the left of the address bar.',
        'Under Permissions for this site, set Camera and Microphone to Allow.',
        'Click Try again below. If nothing changes, reload the page.',
      ],
    },
    firefox: {
      name: 'Firefox',
      steps: [
        'Click the crossed-out camera or microphone icon in the address bar.',
        'Click the cross next to Blocked to clear it.',
        'Click Try again below and choose Allow when Firefox asks.',
      ],
    },
    'safari-ios': {
      name: 'Safari on iPhone or iPad',
      steps: [
        'Tap the "aA" button in the address bar, then Website Settings.',
        'Set Camera and Microphone to Allow.',
        'If they are not listed, open the Settings app, tap Safari, and set Camera and Microphone to Allow.',
        'Come back here and tap Try again.',
      ],
    },
    'safari-mac': {
      name: 'Safari on Mac',
      steps: [
        'In the menu bar, choose Safari, then Settings for This Website.',
        'Set Camera and Microphone to Allow.',
        'Click Try again below.',
      ],
    },
    other: {
      name: 'your browser',
      steps: [
        'Open the site settings from the address bar (often a padlock or camera icon).',
        'Allow the camera and the microphone for this site.',
        'Click Try again below. If nothing changes, reload the page.',
      ],
    },
  },
};

export type ClientTexts = typeof en;
export type BrowserName = keyof ClientTexts['guidance'];

/** The client's languages. One for now (issue 14 adds Spanish); each table has the shape of `en`. */
export const clientTexts: Record<'en', ClientTexts> = { en };
