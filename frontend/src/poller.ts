/**
 * Asks again at the pace a page's state needs: `pace(ms)` sets it (null: not at all), taking effect at
 * once; `now()` asks at once. A look in flight is never doubled (a `now()` during one is that one), and the
 * next one is timed from its end.
 */
export interface Poller {
  pace(ms: number | null): void;
  now(): void;
  stop(): void;
}

export function createPoller(look: () => Promise<void>): Poller {
  let ms: number | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let stopped = false;

  const schedule = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (!stopped && ms !== null) timer = setTimeout(run, ms);
  };
  const run = async (): Promise<void> => {
    if (stopped || running) return;
    running = true;
    clearTimeout(timer);
    try {
      await look();
    } catch {
      // a failed look is retried at the next one
    } finally {
      running = false;
    }
    schedule();
  };
  return {
    pace(next) {
      if (next === ms) return;
      ms = next;
      if (!running) schedule();
    },
    now() {
      void run();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
