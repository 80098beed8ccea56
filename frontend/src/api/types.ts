/**
 * Names for the API's payload shapes. Every one is the OpenAPI document's own schema
 * (generated/api.d.ts, made at build time from /api/openapi.json): none is written by hand.
 */
import type { components, paths } from '../../generated/api';

type Schemas = components['schemas'];

export type SessionStatus = Schemas['SessionStatus'];
export type SessionState = SessionStatus['state'];
export type Visit = Schemas['Visit'];
export type ScheduleEntry = Schemas['ScheduleEntry'];
export type InviteResponse = Schemas['InviteResponse'];
export type JoinResponse = Schemas['JoinResponse'];
export type ClientView = Schemas['ClientView'];
/** What the client's page says of the visit (R16); an expired link's refusal carries it too (R44). */
export type ClientVisit = Schemas['ClientVisit'];
export type Me = Schemas['Me'];
export type Client = Schemas['Client'];
export type Employee = Schemas['Employee'];
export type ServiceCode = Schemas['ServiceCode'];
export type TimelineEntry = Schemas['TimelineEntry'];
export type DevUser = Schemas['DevUser'];
export type PollResult = Schemas['PollResult'];
export type VisitListEntry = Schemas['VisitListEntry'];
export type EmployeeSummary = Schemas['EmployeeSummary'];
export type Board = Schemas['Board'];
export type BoardRow = Schemas['BoardRow'];
export type LiveState = BoardRow['state'];
export type Agency = Schemas['Agency'];
export type AttendanceRow = Schemas['AttendanceRow'];
// Request bodies the console sends as they are (R28-R30's contact fields included).
export type ClientCreate = NonNullable<paths['/api/clients']['post']['requestBody']>['content']['application/json'];
export type ClientPatch = NonNullable<paths['/api/clients/{client_id}']['patch']['requestBody']>['content']['application/json'];
