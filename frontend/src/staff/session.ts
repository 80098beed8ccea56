/** The signed-in staff member: their token, profile, time zone and locale, and API calls made with the token. */
import { ApiError, api } from '../api/client';
import type { CallOptions, PathOf, Success } from '../api/client';
import type { Agency, Me } from '../api/types';
import { getToken, signOut } from '../auth';
import { knownZone, readerLocale } from '../format';
import type { paths } from '../../generated/api';

export interface Staff {
  me: Me;
  /** The agency's time zone: every staff time is shown in it. */
  zone: string;
  /** The reader's locale (R44); the agency's, once the API names one (issue 13's agency settings). */
  locale: string;
  isCoordinator: boolean;
  name: string;
}

type Method = 'get' | 'post' | 'put' | 'patch';
type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

/** Calls the API as the signed-in staff member; a 401 signs out and reloads to the sign-in screen. */
export async function staffApi<M extends Method, P extends PathOf<M>>(
  method: M,
  path: P,
  options: CallOptions<Op<P, M>> = {},
): Promise<Success<Op<P, M>>> {
  try {
    return await api(method, path, { ...options, token: getToken() });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      signOut();
      location.reload();
    }
    throw err;
  }
}

export async function loadStaff(token: string): Promise<Staff> {
  const me = await api('get', '/api/me', { token });
  return {
    me,
    zone: knownZone(me.time_zone),
    locale: staffLocale(me.agency.locale),
    isCoordinator: me.role === 'coordinator',
    name: me.name || me.employee_id,
  };
}

/** The reader's own locale first (R44: an en-GB reader sees 14:30 whatever the agency's), the agency's when the
 * browser names none it knows. */
function staffLocale(agencyLocale: string): string {
  const browser = typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language];
  return readerLocale(null, [...browser, agencyLocale]);
}

/** The signed-in staff member after the agency's settings changed: its zone from now on (and its locale, where the
 * browser names none). */
export function withAgency(staff: Staff, agency: Agency): Staff {
  const me = { ...staff.me, time_zone: agency.time_zone, agency: { ...staff.me.agency, locale: agency.locale } };
  return { ...staff, me, zone: knownZone(agency.time_zone), locale: staffLocale(agency.locale) };
}

let serviceNames: Promise<Map<string, string>> | null = null;

/** Names of the agency's service codes ("TELE" → "Telehealth check-in"), fetched once. */
export function loadServiceNames(): Promise<Map<string, string>> {
  serviceNames ??= staffApi('get', '/api/service-codes')
    .then((list) => new Map(list.map((s) => [s.code, s.name])))
    .catch(() => {
      serviceNames = null;
      return new Map<string, string>();
    });
  return serviceNames;
}
