/** Payload shapes from ARCHITECTURE.md and docs/API-CONTRACT-LOCAL.md. */

export type SessionState = 'none' | 'invited' | 'active' | 'over' | 'expired';

export interface SessionStatus {
  state: SessionState;
  last_invite_sent_at: string | null;
  link_expires_at: string | null;
  client_present: boolean;
  invite_stale: boolean;
  ended_reason: 'hang_up' | 'clock_out' | 'expired' | null;
}

export interface Visit {
  id: string;
  client_id: string;
  employee_id: string;
  service_code: string;
  start: string;
  end: string;
  virtual: boolean;
  clock_in_at: string | null;
  clock_out_at: string | null;
  client?: { id: string; name: string; has_email: boolean };
  employee?: { id: string; name: string };
  notes?: string | null;
  session?: SessionStatus | null;
}

export interface ClockOutResponse extends Visit {
  warning?: { Code: string; Message: string };
}

export interface Me {
  employee_id: string;
  agency_id: string;
  role: string;
  name?: string;
  agency_name?: string;
  time_zone: string;
  agency?: { id?: string; name?: string; time_zone?: string };
}

export interface Person {
  id: string;
  name: string;
  role?: string;
}

export interface DevUser {
  employee_id: string;
  agency_id: string;
  name: string;
  role: string;
}

export interface InviteResponse {
  session: SessionStatus;
  join_url?: string;
}

export interface Attendee {
  attendee_id: string;
  external_user_id: string;
  join_token: string;
}

/** A Chime `Meeting` object as CreateMeeting returns it (the local provider fills fewer fields). */
export interface MeetingInfo {
  MeetingId: string;
  ExternalMeetingId?: string;
  MediaRegion?: string;
  MediaPlacement?: Record<string, string>;
  MeetingFeatures?: { Audio?: { EchoReduction?: string } } & Record<string, unknown>;
  [key: string]: unknown;
}

export interface JoinResponse {
  provider: 'chime' | 'local';
  meeting: MeetingInfo;
  attendee: Attendee;
  client_present?: boolean;
}

export interface ClientJoinInfo {
  agency_name: string;
  caregiver_first_name: string;
  start: string;
  end: string;
  time_zone?: string;
  state: SessionState;
  caregiver_present?: boolean;
}

export interface TimelineEvent {
  at: string;
  type: string;
  actor: string;
}
