/** Shapes the unit tests build states from: the API's own types, filled in. */
import type { JoinResponse } from '../api/types';

/** The API's join answer, as the runner passes it on. */
export const joinAnswer = (clientPresent: boolean): JoinResponse => ({
  provider: 'local',
  meeting: { MeetingId: 'm1' },
  attendee: { attendee_id: 'a1', external_user_id: 'employee-e1', join_token: 't1' },
  client_present: clientPresent,
});
