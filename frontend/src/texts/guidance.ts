/**
 * The camera and microphone guidance, per browser and language (R14, R30): each language's table is its own small
 * chunk, loaded only when a browser blocked the devices, so the join page does not carry it before "Join".
 */
import type { Language } from './client';

export type BrowserName = 'chrome' | 'edge' | 'firefox' | 'safari-ios' | 'safari-mac' | 'other';
export type Guidance = Record<BrowserName, { name: string; steps: string[] }>;

const LOADERS: Record<Language, () => Promise<Guidance>> = {
  en: () => import('./guidance.en').then((table) => table.guidance),
  es: () => import('./guidance.es').then((table) => table.guidance),
};
const loaded = new Map<Language, Promise<Guidance>>();

/** The guidance in `language`, loaded once. */
export function loadGuidance(language: Language): Promise<Guidance> {
  let table = loaded.get(language);
  if (!table) {
    table = LOADERS[language]();
    table.catch(() => loaded.delete(language)); // a failed load is tried again next time
    loaded.set(language, table);
  }
  return table;
}
