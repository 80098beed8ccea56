/**
 * Every text of the staff app and the caregiver's call window, one table per language (English for now).
 * Texts quoted in SPEC.md are copied exactly; the rule ID sits beside each. Messages that come from the
 * API (`Message`) are shown as the API wrote them and are not here. The call stage and the camera
 * guidance the call window shares with the join page are in client.ts.
 */
export const en = {
  appTitle: 'Virtual visits',
  loading: 'Loading…',

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
  viewPicker: 'Day or week',
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
  clockIn: 'Clock in',
  clockOut: 'Clock out',
  clockedInAt: (time: string) => `Clocked in at ${time}`,
  clockedOutAt: (time: string) => `Clocked out at ${time}`,
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
  // R29, when the API marks the last invite undeliverable without its own words for it
  inviteUndelivered: "The last invite could not be delivered. Check the client's contact details.",
  sessionState: {
    none: 'No invite sent yet.',
    invited: 'Invite sent. The video session has not started.',
    active: 'The video session is running.', // R41
    over: 'The video session is over.',
    expired: 'The link to the video session has expired.',
  },
  lastInviteSentAt: (time: string) => `Last invite sent at ${time}.`,
  // R41: what the call window tells the dialog while it is open
  clientInCall: 'The client is in the call.',
  clientNotYetJoined: 'The client has not joined yet.',
  clientLeftCall: 'The client has left the call.',
  callWindowStarting: 'Your call window is opening the video session.',
  youAreInCall: 'You are in the video session.',
  clientWaiting: 'The client is waiting for you.', // R35
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

  // Call window (caregiver)
  callTitle: 'Video call',
  checkingJoin: 'Checking that you can join the video session…',
  rejoiningCall: 'The video call stopped. Joining it again…',
  // Issue 16: at the top of the hour the video service lets visits in a few at a time.
  connecting:
    'Connecting to the video session… Many visits are starting right now, so this can take a minute. Keep this window open: it joins by itself.',
  // R15: the time is the agency's time zone, in the reader's locale (R44).
  clientNotJoined: (time: string) =>
    `The client has not joined the session yet. The last invite was sent at ${time}. Click Resend invite to resend the link for the session to the client.`,
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
  // The meeting kept ending while the session was open: joining again is the caregiver's choice.
  videoLost: 'The video call stopped. Press Join video session in the visit to join again.',
  remoteViewCaregiver: 'Video of the client',
  notSignedIn: 'Sign in to the staff app in the main window, then press Join video session again.',
  noVisit: 'No visit was given. Open the call from the visit dialog.',
  // R43: the next step on every page that ends
  backToVisit: 'Back to the visit',
  closeWindow: 'Close',
  tryAgainShort: 'Try again',
  openStaffApp: 'Open the staff app',
};

export type StaffTexts = typeof en;

/** The texts in use. One language for now; the table's shape is what a translation fills in. */
export const t: StaffTexts = en;
