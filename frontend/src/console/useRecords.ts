/**
 * A records screen's store and its API glue: the list is read whenever the state says it is unread (the first
 * time, after a search, after a save), and an action's answer or refusal becomes the state's event.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, errorText } from '../api/client';
import { createStore } from '../store';
import type { Store } from '../store';
import { useStore } from '../useStore';
import { initialRecords, listKey, reduceRecords } from './records';
import type { RecordsEvent, RecordsState, Value } from './records';

export interface Records<T> {
  state: RecordsState<T>;
  dispatch(event: RecordsEvent<T>): void;
  /** Runs an action (a save, a confirmed change); its notice on success, its refusal placed otherwise. */
  act(action: () => Promise<string>): Promise<void>;
  edit(field: string, value: Value): void;
  query(query: string): void;
}

export function refusal(err: unknown): { type: 'refused'; code: string; message: string } {
  return { type: 'refused', code: err instanceof ApiError ? err.code : 'FAILED', message: errorText(err) };
}

export function useRecords<T>(read: (query: string, scope: string) => Promise<T[]>, scope = ''): Records<T> {
  const [store] = useState<Store<RecordsState<T>, RecordsEvent<T>>>(() => createStore(initialRecords<T>(scope), reduceRecords));
  const state = useStore(store);
  const dispatch = store.dispatch;
  const unread = state.items === null;
  useEffect(() => {
    if (!unread) return;
    const key = listKey(state);
    read(state.query, state.scope)
      .then((items) => dispatch({ type: 'items', key, items }))
      .catch((err: unknown) => dispatch({ type: 'list-failed', key, message: errorText(err) }));
  }, [unread, state.query, state.scope, read, dispatch]);
  const act = useCallback(
    async (action: () => Promise<string>): Promise<void> => {
      try {
        dispatch({ type: 'saved', notice: await action() });
      } catch (err) {
        dispatch(refusal(err));
      }
    },
    [dispatch],
  );
  const edit = useCallback((field: string, value: Value) => dispatch({ type: 'edit', field, value }), [dispatch]);
  const query = useCallback((text: string) => dispatch({ type: 'query', query: text }), [dispatch]);
  return { state, dispatch, act, edit, query };
}
