/**
 * R30: every language has every text. Each table has exactly the keys of `en` (nested ones too), functions take
 * the same arguments, lists have the same length, and no text is left in English, names aside.
 */
import { describe, expect, it } from 'vitest';
import { LANGUAGES, LANGUAGE_NAMES, en, loadTexts, refusalText } from './client';
import type { ClientTexts } from './client';
import { loadGuidance } from './guidance';

/** Texts that are names, the same in every language. */
const NAMES = new Set(['Chrome', 'Microsoft Edge', 'Firefox']);

function leaves(value: unknown, path = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) for (const [p, v] of leaves(child, path ? `${path}.${key}` : key)) out.set(p, v);
  } else out.set(path, value);
  return out;
}

describe('the client tables (R30)', () => {
  it('test_r30_every_key_of_the_english_table_is_in_every_table', async () => {
    const english = leaves(en);
    for (const language of LANGUAGES) {
      const table: ClientTexts = await loadTexts(language);
      const other = leaves(table);
      expect([...other.keys()].sort()).toEqual([...english.keys()].sort());
      for (const [key, text] of english) {
        const translated = other.get(key);
        expect(typeof translated, key).toBe(typeof text);
        if (typeof text === 'function') expect((translated as (...a: string[]) => string).length, key).toBe(text.length);
        if (typeof text === 'string') expect((translated as string).trim().length, key).toBeGreaterThan(0);
      }
      expect(table.language).toBe(language);
      expect(LANGUAGE_NAMES[language]).toBeTruthy();
    }
  });

  it('test_r30_every_browser_has_camera_guidance_in_every_language', async () => {
    const english = leaves(await loadGuidance('en'));
    for (const language of LANGUAGES) {
      const other = leaves(await loadGuidance(language));
      expect([...other.keys()].sort()).toEqual([...english.keys()].sort());
      if (language !== 'en') {
        const same = [...english].filter(([key, text]) => other.get(key) === text && !NAMES.has(text as string));
        expect(same).toEqual([]);
      }
    }
  });

  it('test_r30_no_text_is_left_in_english', async () => {
    const english = leaves(en);
    const es = leaves(await loadTexts('es'));
    const same = [...english].filter(([key, text]) => typeof text === 'string' && es.get(key) === text && !NAMES.has(text));
    expect(same).toEqual([]);
    const spanish = await loadTexts('es');
    expect(spanish.joinWith('Sunrise Home Care')).toBe('Visita por video con Sunrise Home Care');
    expect(spanish.inBrowser('Chrome')).toBe('En Chrome:');
  });

  it('test_r30_the_clients_refusals_in_the_pages_language_by_the_apis_code', async () => {
    const es = await loadTexts('es');
    expect(refusalText(en, 'LINK_EXPIRED')).toBe('This link has expired. Please contact your care provider for a new invitation.');
    expect(refusalText(es, 'INVALID_LINK')).toBe('Este enlace ya no es válido. Pida una nueva invitación a su proveedor de cuidado.');
    expect(refusalText(es, 'SESSION_OVER')).toBe(es.caregiverEnded);
    expect(refusalText(es, 'VISIT_CANCELLED')).toBe('Esta visita fue cancelada. Comuníquese con su proveedor de cuidado.');
    expect(refusalText(es, 'SERVICE_BUSY')).toBeNull(); // the API's own words, in the language the page asked for
  });

  it('test_r44_the_page_labels_the_zone_as_the_clients_email_and_text_write_it', async () => {
    // chalicelib/i18n: en "{time} {zone}" ("10:00 AM Eastern Time"), es "{time} ({zone})" ("10:00 a.m. (hora del Este)")
    expect(en.zoneLabel('Eastern Time')).toBe('Eastern Time');
    expect((await loadTexts('es')).zoneLabel('hora del Este')).toBe('(hora del Este)');
  });
});
