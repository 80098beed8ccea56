/** Which browser the page runs in, for the camera guidance in its own words (R14). */
import type { BrowserName } from '../texts/guidance';

export function detectBrowser(ua: string, touchPoints = 0): BrowserName {
  const iOS = /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && touchPoints > 1);
  if (iOS) return 'safari-ios';
  if (/Edg\//.test(ua)) return 'edge';
  if (/Firefox\//.test(ua)) return 'firefox';
  if (/Chrome\/|Chromium\//.test(ua)) return 'chrome';
  if (/Safari\//.test(ua) && /Macintosh/.test(ua)) return 'safari-mac';
  return 'other';
}

export function currentBrowser(): BrowserName {
  return detectBrowser(navigator.userAgent, navigator.maxTouchPoints);
}
