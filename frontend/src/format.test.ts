import { describe, expect, it } from 'vitest';
import { addDays, dateKey, mondayOf, startOfDay } from './calendar';
import { browserLanguage, dayLabel, knownZone, localeFor, readerLocale, timeOfDay, timeRange, visitTimes } from './format';

/** ICU puts narrow and thin no-break spaces in times and ranges; a reader sees spaces. */
const plain = (text: string): string => text.replace(/\s+/g, ' ');
const NY = 'America/New_York';

describe('R44: times in the reader’s locale', () => {
  it('test_r44_en_us_reader_sees_12_hour_time_in_the_agency_zone', () => {
    expect(plain(timeOfDay('2026-11-25T19:30:00Z', NY, 'en-US'))).toBe('2:30 PM');
  });

  it('test_r44_en_gb_reader_sees_24_hour_time', () => {
    expect(timeOfDay('2026-11-25T19:30:00Z', NY, 'en-GB')).toBe('14:30');
  });

  it('test_r44_client_time_names_the_zone_and_is_one_range', () => {
    const when = visitTimes('2026-11-25T05:31:00Z', '2026-11-25T06:31:00Z', NY, 'en-US');
    expect(when.day).toBe('Wednesday, November 25');
    expect(plain(when.times)).toBe('12:31 – 1:31 AM EST');
  });

  it('test_r30_r44_a_spanish_page_writes_times_as_spanish_readers_in_the_us_do', () => {
    const when = visitTimes('2026-11-25T19:30:00Z', '2026-11-25T20:30:00Z', NY, 'es-US');
    expect(when.day).toBe('miércoles, 25 de noviembre');
    expect(plain(when.times)).toBe('2:30–3:30 p.m. EST');
  });

  it('test_r30_the_readers_own_locale_when_the_browser_speaks_the_pages_language', () => {
    expect(localeFor('es', 'es-US', ['es-MX', 'en-US'])).toBe('es-MX');
    expect(localeFor('es', 'es-US', ['en-GB', 'fr-FR'])).toBe('es-US');
    expect(localeFor('en', 'en-US', ['es-US', 'en-GB'])).toBe('en-GB');
    expect(browserLanguage(['en', 'es'], ['es-MX', 'en'])).toBe('es');
    expect(browserLanguage(['en', 'es'], ['fr-FR', 'de'])).toBe('en');
  });

  it('test_r44_zone_follows_daylight_saving', () => {
    expect(plain(visitTimes('2026-07-01T18:00:00Z', '2026-07-01T19:00:00Z', NY, 'en-US').times)).toBe('2:00 – 3:00 PM EDT');
  });

  it('test_r44_a_visit_across_midnight_names_both_days', () => {
    const when = visitTimes('2026-11-26T04:30:00Z', '2026-11-26T05:30:00Z', NY, 'en-US');
    expect(when.day).toBe('');
    expect(plain(when.times)).toContain('November 25');
    expect(plain(when.times)).toContain('November 26');
    expect(plain(when.times)).toContain('EST');
  });

  it('staff ranges leave the zone out (the agency’s zone is the staff’s)', () => {
    expect(plain(timeRange('2026-11-25T19:30:00Z', '2026-11-25T20:30:00Z', NY, 'en-US'))).toBe('2:30 – 3:30 PM');
    expect(dayLabel('2026-11-25T19:30:00Z', NY, 'en-US')).toBe('Wednesday, November 25');
  });

  it('an empty time is empty, not "Invalid Date"', () => {
    expect(timeOfDay(null, NY, 'en-US')).toBe('');
  });

  it('a zone the browser does not know falls back to UTC rather than throwing', () => {
    expect(knownZone('Not/AZone')).toBe('UTC');
    expect(knownZone(undefined)).toBe('UTC');
    expect(knownZone(NY)).toBe(NY);
    expect(timeOfDay('2026-11-25T19:30:00Z', 'Not/AZone', 'en-GB')).toBe('19:30');
  });

  it('the locale is the preferred one when known, else the browser’s, else en-US', () => {
    expect(readerLocale('es-MX', ['en-US'])).toBe('es-MX');
    expect(readerLocale(null, ['en-GB', 'en-US'])).toBe('en-GB');
    expect(readerLocale('not a locale!', ['fr-CA'])).toBe('fr-CA');
    expect(readerLocale(undefined, [])).toBe('en-US');
  });
});

describe('calendar: the agency’s days', () => {
  it('a day starts at local midnight, also on the day daylight saving ends', () => {
    expect(startOfDay('2026-11-25', NY).toISOString()).toBe('2026-11-25T05:00:00.000Z');
    expect(startOfDay('2026-11-01', NY).toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(startOfDay('2026-11-02', NY).toISOString()).toBe('2026-11-02T05:00:00.000Z');
  });

  it('an instant belongs to the day of the agency’s zone', () => {
    expect(dateKey(new Date('2026-11-26T03:00:00Z'), NY)).toBe('2026-11-25');
    expect(dateKey(new Date('2026-11-26T03:00:00Z'), 'UTC')).toBe('2026-11-26');
  });

  it('weeks start on Monday; days add across months', () => {
    expect(mondayOf('2026-11-29')).toBe('2026-11-23');
    expect(mondayOf('2026-11-23')).toBe('2026-11-23');
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
  });
});
