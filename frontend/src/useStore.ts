/** A component's own store (the visit dialog's), drawn again on every change. */
import { useEffect, useState } from 'preact/hooks';
import type { Store } from './store';

export function useStore<S, E>(store: Store<S, E>): S {
  const [, redraw] = useState(0);
  useEffect(() => store.subscribe(() => redraw((n) => n + 1)), [store]);
  return store.get();
}
