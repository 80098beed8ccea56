/**
 * Who is in a call: each attendee's role comes from the non-personal external user id the API gave it
 * (`employee-<id>`, `client-<visit>`, `guest-<visit>`), never from a name; the page labels each tile with the
 * first name the API told it for that role (R38).
 */
export type Role = 'employee' | 'client' | 'guest';

export interface Participant {
  attendeeId: string;
  role: Role;
}

const ORDER: Record<Role, number> = { employee: 0, client: 1, guest: 2 };

/** The role of an attendee, or null for anyone else (a content share, an unknown id). */
export function roleOf(externalUserId: string | null | undefined): Role | null {
  const id = externalUserId ?? '';
  if (id.includes('#')) return null;
  for (const role of Object.keys(ORDER) as Role[]) {
    if (id.startsWith(`${role}-`) && id.length > role.length + 1) return role;
  }
  return null;
}

/** The people to show, in a stable order (caregiver, client, guest), one tile each, self excluded. */
export function ordered(list: Participant[]): Participant[] {
  const seen = new Set<string>();
  return list
    .filter((p) => !seen.has(p.attendeeId) && seen.add(p.attendeeId))
    .sort((a, b) => ORDER[a.role] - ORDER[b.role] || a.attendeeId.localeCompare(b.attendeeId));
}

/** Whether someone of `role` is among `list`. */
export function present(list: Participant[], role: Role): boolean {
  return list.some((p) => p.role === role);
}
