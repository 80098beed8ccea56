/**
 * A page's one state: only `dispatch` changes it, through the page's pure reducer, and every change is
 * drawn again from the whole state (Preact's diff keeps the DOM work to what changed). What must follow a
 * change outside the DOM (the polling pace, telling another window) runs in `changed`.
 */
export interface Store<S, E> {
  get(): S;
  dispatch(event: E): void;
  /** Calls `listener` after every change; returns the way to stop. */
  subscribe(listener: () => void): () => void;
}

export function createStore<S, E>(
  initial: S,
  reduce: (state: S, event: E) => S,
  changed: (state: S, previous: S) => void = () => undefined,
): Store<S, E> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    dispatch(event) {
      const previous = state;
      const next = reduce(previous, event);
      if (next === previous) return;
      state = next;
      changed(next, previous);
      listeners.forEach((listener) => listener());
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
