import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { PATIENCE_MS, isBusy, nextWait, patiently } from './patience';
import type { PatienceClock } from './patience';

/** A clock whose sleep moves time at once: the test counts calls and waits, it never waits itself. */
function fakeClock(draw = 0.5): PatienceClock & { t: number; waits: number[] } {
  const clock = {
    t: 0,
    waits: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.waits.push(ms);
      clock.t += ms;
    },
    draw: () => draw,
  };
  return clock;
}

const busy = () => new ApiError(503, 'VIDEO_BUSY', 'Many video visits are starting at this moment.');

describe('patience with a busy video service (issue 16)', () => {
  it('tells busy refusals from the others', () => {
    expect(isBusy(busy())).toBe(true);
    expect(isBusy(new ApiError(503, 'SERVICE_BUSY', 'busy'))).toBe(true);
    expect(isBusy(new ApiError(429, 'TOO_MANY_REQUESTS', 'Too many requests.'))).toBe(true);
    expect(isBusy(new ApiError(503, 'VIDEO_UNAVAILABLE', 'down'))).toBe(false);
    expect(isBusy(new ApiError(409, 'WAITING_FOR_CAREGIVER', 'wait'))).toBe(false);
    expect(isBusy(new Error('x'))).toBe(false);
  });

  it('waits 2 to 4 s between tries, and stops once five minutes are spent', () => {
    expect(nextWait(0, 0)).toBe(2000);
    expect(nextWait(0, 0.999)).toBeCloseTo(3998);
    expect(nextWait(PATIENCE_MS - 3000, 0.5)).toBe(3000);
    expect(nextWait(PATIENCE_MS - 2999, 0.5)).toBeNull();
  });

  it('asks again after each busy answer, showing "connecting" each time, until the join goes through', async () => {
    const clock = fakeClock(0.5);
    let calls = 0;
    let shown = 0;
    const answer = await patiently(
      async () => {
        calls += 1;
        if (calls <= 3) throw busy();
        return 'joined';
      },
      () => (shown += 1),
      clock,
    );
    expect(answer).toBe('joined');
    expect(calls).toBe(4);
    expect(shown).toBe(3);
    expect(clock.waits).toEqual([3000, 3000, 3000]);
  });

  it('passes any other refusal through at once, without "connecting"', async () => {
    const clock = fakeClock();
    let shown = 0;
    const refusal = new ApiError(409, 'SESSION_OVER', 'over');
    await expect(patiently(async () => Promise.reject(refusal), () => (shown += 1), clock)).rejects.toBe(refusal);
    expect(shown).toBe(0);
    expect(clock.waits).toEqual([]);
  });

  it('gives up with the last busy refusal after five minutes of tries', async () => {
    const clock = fakeClock(0);
    let calls = 0;
    await expect(
      patiently(
        async () => {
          calls += 1;
          throw busy();
        },
        () => undefined,
        clock,
      ),
    ).rejects.toMatchObject({ code: 'VIDEO_BUSY' });
    expect(calls).toBe(PATIENCE_MS / 2000 + 1); // tries at 0, 2, 4 … 300 s (the draw at 0), then no more
    expect(clock.t).toBeLessThanOrEqual(PATIENCE_MS);
  });
});
