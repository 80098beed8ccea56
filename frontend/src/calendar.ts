/** Calendar arithmetic for the schedule, in the agency's days (YYYY-MM-DD keys and the instants they start at). */
import { formatter } from './format';

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function dateKey(d: Date, zone: string): string {
  const parts = formatter({ year: 'numeric', month: '2-digit', day: '2-digit' }, zone, 'en-CA').formatToParts(d);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Offset in minutes of `zone` from UTC at instant `d`. */
function zoneOffsetMinutes(d: Date, zone: string): number {
  const parts = formatter(
    { hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' },
    zone,
    'en-US',
  ).formatToParts(d);
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? '0');
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return Math.round((asUtc - d.getTime()) / 60000);
}

/** The UTC instant of local midnight starting the day `key` (YYYY-MM-DD) in `zone`. */
export function startOfDay(key: string, zone: string): Date {
  const [y, m, day] = key.split('-').map(Number);
  const guess = new Date(Date.UTC(y, m - 1, day));
  const offset = zoneOffsetMinutes(guess, zone);
  const candidate = new Date(guess.getTime() - offset * 60000);
  const offset2 = zoneOffsetMinutes(candidate, zone);
  return offset2 === offset ? candidate : new Date(guess.getTime() - offset2 * 60000);
}

/** Adds whole calendar days to a YYYY-MM-DD key. */
export function addDays(key: string, days: number): string {
  const [y, m, d] = key.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
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

/** The UTC instant of the wall-clock time `time` (HH:MM) on day `key` (YYYY-MM-DD) in `zone`. */
export function zonedInstant(key: string, time: string, zone: string): Date {
  const [y, m, d] = key.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  const guess = new Date(Date.UTC(y, m - 1, d, hour, minute));
  const offset = zoneOffsetMinutes(guess, zone);
  const candidate = new Date(guess.getTime() - offset * 60000);
  const offset2 = zoneOffsetMinutes(candidate, zone);
  return offset2 === offset ? candidate : new Date(guess.getTime() - offset2 * 60000);
}

/** The wall-clock time (HH:MM, 24-hour) of an instant in a time zone: what a time field holds. */
export function timeKey(d: Date, zone: string): string {
  const parts = formatter({ hourCycle: 'h23', hour: '2-digit', minute: '2-digit' }, zone, 'en-US').formatToParts(d);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('hour')}:${get('minute')}`;
}
