/**
 * Times as people read them (R44): every time goes through Intl.DateTimeFormat in the reader's locale
 * (an en-US reader sees "2:30 PM", an en-GB one "14:30") and in a given IANA time zone (the agency's for
 * staff, the visit's for clients). Client pages name the zone ("EST"). The schedule's day arithmetic is
 * in calendar.ts.
 */

export function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

/** The locale to format in: `preferred` (an agency's or a client's) when the browser knows it, else the browser's. */
export function readerLocale(preferred?: string | null, browser: readonly string[] = browserLanguages()): string {
  for (const candidate of [preferred, ...browser]) {
    if (!candidate) continue;
    try {
      if (Intl.DateTimeFormat.supportedLocalesOf([candidate]).length > 0) return candidate;
    } catch {
      // not a locale tag: try the next one
    }
  }
  return 'en-US';
}

/**
 * The locale to write `language`'s times in (R44): the reader's own when their browser speaks that language
 * (es-MX, en-GB), else the language's table's (`fallback`, es-US or en-US).
 */
export function localeFor(language: string, fallback: string, browser: readonly string[] = browserLanguages()): string {
  for (const candidate of browser) {
    if (candidate.toLowerCase().split('-')[0] !== language) continue;
    try {
      if (Intl.DateTimeFormat.supportedLocalesOf([candidate]).length > 0) return candidate;
    } catch {
      // not a locale tag: try the next one
    }
  }
  return fallback;
}

/** The first of `languages` the reader's browser asks for, else the first of them. */
export function browserLanguage<T extends string>(languages: readonly T[], browser: readonly string[] = browserLanguages()): T {
  for (const candidate of browser) {
    const language = candidate.toLowerCase().split('-')[0];
    const known = languages.find((l) => l === language);
    if (known) return known;
  }
  return languages[0];
}

/** A time zone the browser knows, else UTC (a bad zone must not blank a page). */
export function knownZone(zone: string | null | undefined): string {
  if (!zone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

const TIME: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
const DAY: Intl.DateTimeFormatOptions = { weekday: 'long', month: 'long', day: 'numeric' };

export function formatter(options: Intl.DateTimeFormatOptions, zone: string, locale: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, { ...options, timeZone: knownZone(zone) });
}

/** "2:30 PM" (en-US) or "14:30" (en-GB): a time of day in `zone`. */
export function timeOfDay(iso: string | null | undefined, zone: string, locale: string): string {
  if (!iso) return '';
  return formatter(TIME, zone, locale).format(new Date(iso));
}

/** "Tuesday, November 25" in `zone`. */
export function dayLabel(when: string | Date, zone: string, locale: string): string {
  return formatter(DAY, zone, locale).format(typeof when === 'string' ? new Date(when) : when);
}

/** "2:30 – 3:30 PM", with the zone named when asked ("2:30 – 3:30 PM EST"). */
export function timeRange(start: string, end: string, zone: string, locale: string, withZone = false): string {
  const options: Intl.DateTimeFormatOptions = withZone ? { ...TIME, timeZoneName: 'short' } : TIME;
  return formatter(options, zone, locale).formatRange(new Date(start), new Date(end));
}

/** "Tuesday, November 25, 2:30 – 3:30 PM EST": a visit's day and times, the zone named for clients. */
export function visitWhen(start: string, end: string, zone: string, locale: string, withZone = false): string {
  const options: Intl.DateTimeFormatOptions = { ...DAY, ...TIME, ...(withZone ? { timeZoneName: 'short' } : {}) };
  return formatter(options, zone, locale).formatRange(new Date(start), new Date(end));
}

/**
 * A client's visit time in two parts that each read as one unit (R44): the day ("Tuesday, November 25")
 * and the times with the zone named ("2:30 – 3:30 PM EST"), which a page keeps on one line. A visit that
 * crosses midnight is one range naming both days (`day` empty). `withZone` false leaves the zone to the caller:
 * the join page names it as the client's email and text do (the API's `zone_names`).
 */
export function visitTimes(start: string, end: string, zone: string, locale: string, withZone = true): { day: string; times: string } {
  const day = dayLabel(start, zone, locale);
  if (day !== dayLabel(end, zone, locale)) return { day: '', times: visitWhen(start, end, zone, locale, withZone) };
  return { day, times: timeRange(start, end, zone, locale, withZone) };
}
