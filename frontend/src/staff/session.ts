/** The signed-in staff member: their token and profile, and API calls made with that token. */
import { ApiError, apiRequest } from '../api';
import { getToken, signOut } from '../auth';
import type { Me } from '../types';

export interface Staff {
  token: string;
  me: Me;
  timeZone: string;
  isCoordinator: boolean;
  name: string;
}

/** Calls the API as the signed-in staff member; a 401 signs out and reloads to the sign-in screen. */
export async function staffApi<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown): Promise<T> {
  try {
    return await apiRequest<T>(method, path, body, { token: getToken() });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      signOut();
      location.reload();
    }
    throw err;
  }
}

export async function loadStaff(token: string): Promise<Staff> {
  const me = await apiRequest<Me>('GET', '/me', undefined, { token });
  return {
    token,
    me,
    timeZone: me.time_zone ?? me.agency?.time_zone ?? 'UTC',
    isCoordinator: me.role === 'coordinator',
    name: me.name ?? me.employee_id,
  };
}

let serviceNames: Promise<Map<string, string>> | null = null;

/** Names of the agency's service codes ("TELE" → "Telehealth check-in"), fetched once. */
export function loadServiceNames(): Promise<Map<string, string>> {
  serviceNames ??= staffApi<{ code: string; name: string }[]>('GET', '/service-codes')
    .then((list) => new Map(list.map((s) => [s.code, s.name])))
    .catch(() => {
      serviceNames = null;
      return new Map<string, string>();
    });
  return serviceNames;
}
