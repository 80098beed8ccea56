import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPoller } from './poller';

describe('poller: asks at the pace the state needs', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks every interval, changes pace at once, and stops on null', async () => {
    const look = vi.fn(async () => undefined);
    const poller = createPoller(look);
    poller.pace(3000);
    await vi.advanceTimersByTimeAsync(9000);
    expect(look).toHaveBeenCalledTimes(3);
    poller.pace(10000);
    await vi.advanceTimersByTimeAsync(9000);
    expect(look).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(1000);
    expect(look).toHaveBeenCalledTimes(4);
    poller.pace(null);
    await vi.advanceTimersByTimeAsync(60000);
    expect(look).toHaveBeenCalledTimes(4);
  });

  it('never doubles a look in flight (focus and visibilitychange both ask: one request)', async () => {
    let finish: () => void = () => undefined;
    const look = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const poller = createPoller(look);
    poller.now();
    poller.now();
    expect(look).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(0);
    poller.now();
    expect(look).toHaveBeenCalledTimes(2);
  });

  it('a failed look does not stop the next one', async () => {
    const look = vi.fn(async () => {
      throw new Error('offline');
    });
    const poller = createPoller(look);
    poller.pace(1000);
    await vi.advanceTimersByTimeAsync(3000);
    expect(look).toHaveBeenCalledTimes(3);
    poller.stop();
    await vi.advanceTimersByTimeAsync(3000);
    expect(look).toHaveBeenCalledTimes(3);
  });
});
