/**
 * Every user-facing text of the front end, in one table per language.
 * Texts quoted in SPEC.md are copied exactly; the rule ID sits beside each.
 * Messages that come from the API (`Message`) are shown as the API wrote them and are not here.
 */
export const en = {
  appTitle: 'Virtual visits',
  loading: 'Loading…',
  genericError: 'Something went wrong. Please try again.',
  networkError: 'The service cannot be reached. Check your connection and try again.',

  // Sign-in
  signInTitle: 'Sign in',
  signInLocalIntro: 'Local demo: choose who you are.',
  signInAs: (name: string, role: string) => `Sign in as ${name} (${role})`,
  signInCognito: 'Sign in',
  signOut: 'Sign out',
  signedInAs: (name: string) => `Signed in as ${name}`,

  // Schedule
  scheduleTitle: 'Schedule',
  mySchedule: 'My schedule',
  scheduleFor: 'Schedule for',
  employeesGroup: 'Employees',
  clientsGroup: 'Clients',
  viewDay: 'Day',
  viewWeek: 'Week',
  previous: 'Previous',
  next: 'Next',
  today: 'Today',
  noVisits: 'No visits in this period.',
  virtualVisitLabel: 'Virtual visit', // R02: the icon's accessible label
  inPersonVisit: 'In-person visit',

  // Preview (R03)
  previewVirtual: 'This is a virtual visit: it takes place by video call.',
  previewInPerson: 'This visit takes place in person.',
  moreDetails: 'More details',
  close: 'Close',

  // Visit dialog
  visitTitle: (client: string) => `Visit with ${client}`,
  time: 'Time',
  client: 'Client',
  service: 'Service',
  caregiver: 'Caregiver',
  clockIn: 'Clock in',
  clockOut: 'Clock out',
  clockedInAt: (hhmm: string) => `Clocked in at ${hhmm}`,
  clockedOutAt: (hhmm: string) => `Clocked out at ${hhmm}`,
  notClockedIn: 'Not clocked in yet.',
  virtualSession: 'Virtual session',
  sendInvite: 'Send invite to client', // R04
  resendInvite: 'Resend invite to client', // R09
  copyInviteLink: 'Copy invite link', // R07
  inviteLinkCopied: 'Invite link copied.', // R07
  inviteSent: 'Invite sent.',
  clipboardFallback: 'Copy this link and send it to the client:',
  joinVideoSession: 'Join video session', // R14
  inviteStale: 'The visit time changed. Resend the invite to the client.', // R10
  sessionState: {
    none: 'No invite sent yet.',
    invited: 'Invite sent. The video session has not started.',
    active: 'The video session is running.',
    over: 'The video session is over.',
    expired: 'The link to the video session has expired.',
  } as Record<string, string>,
  lastInviteSentAt: (hhmm: string) => `Last invite sent at ${hhmm}.`,
  clientInCall: 'The client is in the call.',
  clientHasNoEmail: 'This client has no email address. Use "Copy invite link" instead.',
  notes: 'Visit notes',
  saveNotes: 'Save notes',
  notesSaved: 'Notes saved.',
  timeline: 'Timeline',
  timelineEmpty: 'Nothing recorded yet.',
  timelineTypes: {
    invite_sent: 'Invite sent',
    link_copied: 'Invite link copied',
    clocked_in: 'Clocked in',
    clocked_out: 'Clocked out',
    employee_joined: 'Caregiver joined the video session',
    employee_left: 'Caregiver left the video session',
    client_joined: 'Client joined the video session',
    client_left: 'Client left the video session',
    session_ended: 'Video session ended',
    link_expired: 'Link expired',
  } as Record<string, string>,
  popupBlocked: 'Your browser blocked the call window. Allow pop-ups for this site and try again.',

  // Call window and join page: devices (R14)
  devicePrompt: 'This call uses your camera and microphone. When your browser asks, choose Allow.',
  checkDevices: 'Check camera and microphone',
  devicesReady: 'Your camera and microphone work. You can join the call.',
  devicesBlockedTitle: 'Your camera or microphone is blocked',
  noDevices: 'No camera or microphone was found. Connect one and try again.',
  deviceInUse: 'Another app is using your camera or microphone. Close it and try again.',
  tryAgain: 'Try again',
  micLevel: 'Microphone level',
  selfView: 'Your video',
  remoteViewCaregiver: 'Video of the client',
  remoteViewClient: 'Video of your caregiver',

  // Call window (caregiver)
  callTitle: 'Video call',
  // R15: the HH:MM is filled in with the agency's time zone.
  clientNotJoined: (hhmm: string) =>
    `The client has not joined the session yet. The last invite was sent at ${hhmm}. Click Resend invite to resend the link for the session to the client.`,
  // R15 when the link was only copied, so no invite email has a time yet.
  clientNotJoinedNoEmail:
    'The client has not joined the session yet. Click Resend invite to send the link for the session to the client by email.',
  resendInviteShort: 'Resend invite', // R15
  inviteResent: 'The invite was sent again.',
  clientLeft: 'The client has left the session. They can rejoin with the same link.', // R19
  hangUpConfirm:
    'Hang up and end the virtual session? You will not be able to start another video session for this visit.', // R20
  cancel: 'Cancel',
  hangUp: 'Hang up',
  sessionOverEmployee: 'Your session with the client is over. You can now close the page.', // R20, R22
  // R13 (the API's employee text, shown when the session expires while the window is open)
  sessionExpiredEmployee:
    'The link to the virtual session has expired. Create a new visit and send a new invite to the client.',
  reconnecting: 'The connection dropped. Reconnecting…',
  // The meeting kept ending while the session was open: joining again is the caregiver's choice.
  videoLost: 'The video call stopped. Press Join video session in the visit to join again.',
  connecting: 'Connecting…',
  notSignedIn: 'Sign in to the staff app in the main window, then press Join video session again.',
  noVisit: 'No visit was given. Open the call from the visit dialog.',

  // Controls (R18)
  mute: 'Mute',
  unmute: 'Unmute',
  cameraOff: 'Turn camera off',
  cameraOn: 'Turn camera on',
  switchCamera: 'Switch camera',
  fullscreen: 'Full screen',
  exitFullscreen: 'Exit full screen',
  callControls: 'Call controls',
  turnOnSound: 'Turn on sound',
  noOtherCamera: 'There is no other camera to switch to.',

  // Join page (client)
  joinTitle: 'Your video visit',
  joinWith: (agency: string) => `Video visit with ${agency}`,
  yourCaregiver: (name: string) => `Your caregiver: ${name}`,
  visitTime: (when: string) => `Time: ${when}`,
  caregiverWillJoin: 'Your caregiver will join shortly.', // R16
  join: 'Join',
  rejoin: 'Rejoin',
  youLeft: 'You have left the call. You can rejoin while the visit lasts.',
  caregiverEnded: 'Your caregiver has ended the session. You can now close this page.', // R20
  noToken: 'This link is not complete. Open the link from your invitation again.',
} as const;

export type Texts = typeof en;

/** The texts in use. One language for now; the table shape is what a translation fills in. */
export const t: Texts = en;

/** Browser-specific, plain-word steps to unblock camera and microphone (R14). */
export const permissionGuidance: Record<string, { name: string; steps: string[] }> = {
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
};
