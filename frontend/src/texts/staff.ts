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
  sendInviteByText: 'Send invite by text message', // R28
  sendInviteByEmail: 'Send invite by email',
  resendInvite: 'Resend invite to client', // R09; by the channel of the last invite (R28)
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
  lastInviteSentByText: (time: string) => `Last invite sent by text message at ${time}.`, // R28
  // R41: what the call window tells the dialog while it is open
  clientInCall: 'The client is in the call.',
  clientNotYetJoined: 'The client has not joined yet.',
  clientLeftCall: 'The client has left the call.',
  callWindowStarting: 'Your call window is opening the video session.',
  youAreInCall: 'You are in the video session.',
  clientWaiting: 'The client is waiting for you.', // R35
  clientHasNoEmail: 'This client has no email address. Use "Copy invite link" instead.',
  // R28, R29: why the client cannot be sent a text message (the API's words for the same refusals)
  clientNoSmsConsent: 'The client has not agreed to receive text messages.',
  clientOptedOut: 'The client has opted out of text messages. Send the invite by email or copy the link.',
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
    visit_changed: 'Visit changed by the coordinator',
    visit_cancelled: 'Visit cancelled', // R34
    link_opened: 'The client opened the link', // R35
    reminder_sent: 'Reminder sent', // R32
    invite_undeliverable: 'Invite could not be delivered', // R29
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

  // A cancelled visit (R34) in the schedule and the dialog
  cancelledVisit: 'Cancelled',
  visitCancelled: 'This visit was cancelled.',
  // The installable app with no connection
  offline: 'You are offline. The staff app needs a connection to show your visits; it will work again once you are back online.',

  // The coordinator's console (R33), the live board (R35, R36), the report (R37) and the agency's settings
  sections: {
    schedule: 'Schedule',
    board: 'Live board',
    visits: 'Visits',
    clients: 'Clients',
    staff: 'Staff',
    services: 'Service codes',
    report: 'Report',
    settings: 'Settings',
  } as Record<string, string>,
  sectionsNav: 'Sections',
  search: 'Search',
  searchHint: 'Type to filter the list.',
  noneFound: 'Nothing matches.',
  reading: 'Reading…',
  save: 'Save',
  saving: 'Saving…',
  saved: 'Saved.',
  edit: 'Edit',
  yes: 'Yes',
  no: 'No',
  required: '(required)',
  optional: '(optional)',
  // Service codes
  addServiceCode: 'Add a service code',
  serviceCodeField: 'Code',
  serviceNameField: 'Name',
  allowsVirtualField: 'Allows virtual visits',
  serviceCodeHint: 'Letters, digits, - and _ only, for example TELE.',
  serviceCodeSaved: (code: string) => `Service code ${code} saved.`,
  // Clients
  addClient: 'Add a client',
  clientNameField: 'Name',
  emailField: 'Email',
  mobilePhoneField: 'Mobile phone',
  mobilePhoneHint: 'With the country code, for example +15551234567.',
  smsConsentField: 'The client agreed to receive text messages',
  smsConsentRecorded: (time: string, by: string) => `Agreed to text messages: recorded ${time} by ${by}.`,
  smsOptedOut: 'Replied STOP: no text messages.',
  languageField: 'Preferred language',
  languages: { en: 'English', es: 'Español' } as Record<string, string>,
  noEmail: 'No email',
  clientSaved: (name: string) => `Client ${name} saved.`,
  // Staff
  addEmployee: 'Add a staff member',
  employeeNameField: 'Name',
  roleField: 'Role',
  roles: { employee: 'Caregiver', coordinator: 'Coordinator' } as Record<string, string>,
  active: 'Active',
  deactivated: 'Deactivated',
  deactivate: 'Deactivate',
  reactivate: 'Reactivate',
  makeRole: (role: string) => `Make ${role}`,
  deactivateQuestion: (name: string) =>
    `Deactivate ${name}? They are signed out and can no longer sign in. Their upcoming visits are listed on the live board for reassignment.`,
  roleQuestion: (name: string, role: string) => `Change ${name}'s role to ${role}? It applies to their next requests.`,
  employeeSaved: (name: string) => `${name} saved.`,
  employeeDeactivated: (name: string) => `${name} was deactivated.`,
  employeeInvited: (name: string) => `${name} was added and can sign in.`,
  // Visits
  scheduleVisit: 'Schedule a visit',
  dayField: 'Day',
  startField: 'Start',
  endField: 'End',
  clientField: 'Client',
  caregiverField: 'Caregiver',
  serviceField: 'Service',
  virtualField: 'Virtual visit (by video)',
  choose: 'Choose…',
  reschedule: 'Reschedule',
  reassign: 'Reassign',
  cancelVisit: 'Cancel visit',
  keepVisit: 'Keep the visit',
  cancelQuestion: (client: string, when: string) =>
    `Cancel the visit with ${client} on ${when}? Its invite link stops working and a video call in progress ends.`,
  visitSaved: 'Visit saved.',
  visitRescheduled: 'Visit rescheduled. The caregiver is asked to resend the invite.',
  visitReassigned: 'Visit reassigned.',
  visitCancelledNotice: 'Visit cancelled.',
  caregiverInactive: (name: string) => `${name} (deactivated)`,
  // The live board (R35, R36)
  boardTitle: 'Live board',
  boardAsOf: (time: string) => `As of ${time}; it updates by itself.`,
  boardEmpty: 'No virtual visits on this day.',
  liveStates: {
    not_invited: 'Not invited',
    invited: 'Invited',
    client_waiting: 'Client waiting',
    in_call: 'In call',
    client_left: 'Client left',
    over: 'Over',
    expired: 'Expired',
    cancelled: 'Cancelled',
  } as Record<string, string>,
  flagUndeliverable: "The last invite could not be delivered. Check the client's contact details.", // R29
  flagNotOpened: 'Client has not opened the link', // R35
  caregiverInCall: 'Caregiver in the call',
  toReassignTitle: 'Visits of deactivated staff to reassign',
  toReassignNone: 'None: every visit has an active caregiver.',
  stateColumn: 'State',
  whenColumn: 'Time',
  // The report (R37)
  reportTitle: 'Attendance report',
  fromField: 'From',
  toField: 'To (not included)',
  showReport: 'Show report',
  downloadCsv: 'Download CSV',
  reportEmpty: 'No virtual visits in this range.',
  reportColumns: {
    scheduled_start: 'Scheduled',
    client_id: 'Client',
    employee_id: 'Caregiver',
    clock_in_at: 'Clocked in',
    clock_out_at: 'Clocked out',
    invite_count: 'Invites',
    minutes_together: 'Minutes together',
    end_reason: 'End',
    no_show: 'No-show',
  } as Record<string, string>,
  // Agency settings
  settingsTitle: 'Agency settings',
  timeZoneField: 'Time zone',
  timeZoneHint: 'Dates in schedules and reports are days of this time zone.',
  localeField: 'Locale',
  localeHint:
    "How times read where the reader's browser does not say: en-US reads 2:30 PM, en-GB 14:30. Staff see times as their own browser reads them.",
  reminderField: 'Reminder to the client (minutes before the visit)',
  reminderHint: '0 sends no reminder.',
  settingsSaved: 'Settings saved.',
};

export type StaffTexts = typeof en;

/** The texts in use. One language for now; the table's shape is what a translation fills in. */
export const t: StaffTexts = en;
