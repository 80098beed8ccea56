/** Time formatting in a given IANA time zone (the agency's for staff, the visit's for clients). */

export function hhmm(iso: string | null | undefined, timeZone: string | undefined): string {
  if (!iso) return '--:--';
  return new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(new Date(iso));
}

export function dayLabel(iso: string | Date, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    timeZone,
  }).format(typeof iso === 'string' ? new Date(iso) : iso);
}

export function timeRange(start: string, end: string, timeZone: string | undefined): string {
  return `${hhmm(start, timeZone)}–${hhmm(end, timeZone)}`;
}

/** "Tuesday, November 25, 14:00–15:00" */
export function visitWhen(start: string, end: string, timeZone: string | undefined): string {
  return `${dayLabel(start, timeZone)}, ${timeRange(start, end, timeZone)}`;
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function dateKey(d: Date, timeZone: string | undefined): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone,
  }).formatToParts(d);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Offset in minutes of `timeZone` from UTC at instant `d`. */
function zoneOffsetMinutes(d: Date, timeZone: string | undefined): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(d);
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? '0');
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return Math.round((asUtc - d.getTime()) / 60000);
}

/** The UTC instant of local midnight starting the day `key` (YYYY-MM-DD) in `timeZone`. */
export function startOfDay(key: string, timeZone: string | undefined): Date {
  const [y, m, day] = key.split('-').map(Number);
  const guess = new Date(Date.UTC(y, m - 1, day));
  const offset = zoneOffsetMinutes(guess, timeZone);
  const candidate = new Date(guess.getTime() - offset * 60000);
  const offset2 = zoneOffsetMinutes(candidate, timeZone);
  return offset2 === offset ? candidate : new Date(guess.getTime() - offset2 * 60000);
}

/** Adds whole calendar days to a YYYY-MM-DD key. */
export function addDays(key: string, days: number): string {
  const [y, m, d] = key.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return date.toISOString().slice(0, 10);
}

/** Monday of the week containing `key`. */
export function mondayOf(key: string): string {
  const [y, m, d] = key.split('-').map(Number);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 = Sunday
  return addDays(key, -((weekday + 6) % 7));
}

export function isoZ(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
