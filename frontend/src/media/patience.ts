/**
 * The pages' patience when the video service is busy (issue 16). At the top of the hour hundreds of visits
 * start together and Chime lets an account make about ten meetings a second; the API tries for a few
 * seconds, then answers 503 VIDEO_BUSY. The page then shows an honest "connecting" state and asks again by
 * itself after 2 to 4 s (spread, so pages throttled together do not come back together), for up to five
 * minutes, instead of an error the person must answer by pressing Join again. docs/PERFORMANCE.md §6 weighs
 * where the waiting happens (in the page it costs one request each time; in Lambda, seconds of duration).
 */
import { ApiError } from '../api/client';

export const PATIENCE_MS = 300_000;
export const RETRY_MIN_MS = 2000;
export const RETRY_SPREAD_MS = 2000;

/** A refusal that only says "not now": the video service or the table is busy, or API Gateway's rate (429). */
export function isBusy(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  return err.status === 429 || (err.status === 503 && (err.code === 'VIDEO_BUSY' || err.code === 'SERVICE_BUSY'));
}

/** How long to wait before asking again, for a uniform draw in [0, 1); null once the patience is spent. */
export function nextWait(elapsedMs: number, draw: number): number | null {
  const wait = RETRY_MIN_MS + draw * RETRY_SPREAD_MS;
  return elapsedMs + wait > PATIENCE_MS ? null : wait;
}

export interface PatienceClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  draw(): number;
}

const browserClock: PatienceClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  draw: Math.random,
};

/**
 * Calls `call` until it answers or refuses for another reason than "busy"; before each new try `onWait`
 * runs (the page shows "connecting"). After PATIENCE_MS the last busy refusal is thrown.
 */
export async function patiently<T>(call: () => Promise<T>, onWait: () => void, clock: PatienceClock = browserClock): Promise<T> {
  const started = clock.now();
  for (;;) {
    try {
      return await call();
    } catch (err) {
      const wait = isBusy(err) ? nextWait(clock.now() - started, clock.draw()) : null;
      if (wait === null) throw err;
      onWait();
      await clock.sleep(wait);
    }
  }
}
