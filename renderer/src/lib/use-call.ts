import { useEffect, useState, useSyncExternalStore } from 'react';
import type { CallInput, CallName, CallOutput, EventName } from '../../../preload/contract';
import { getApi } from '../bridge';
import { CallQuery, type CallState } from './call-query';

interface CallOptions {
  /** False: nothing is asked, and data and error are null (no open chat, a panel closed). Default true. */
  enabled?: boolean;
  /** More reasons to ask again, beyond the input (a site's reading count after an import). */
  deps?: ReadonlyArray<string | number | boolean | null>;
  /** Ask again whenever the engine sends this event. */
  reloadOn?: EventName;
}

interface CallResult<T> extends CallState<T> {
  /** Asks again with the same input; settles when the answer is in (never rejects: a failure is in `error`). */
  reload(): Promise<void>;
}

/**
 * How a component reads data from the engine (the convention): `useCall(name, input)` for what a page shows,
 * `reload()` after a mutation (a call the component makes itself); zustand stores (stores/, features/*-store.ts)
 * only for state that several components share or that outlives a page. The call is asked again when the input (compared by its JSON) or `deps` change; an answer
 * overtaken by a newer ask, or arriving after unmount, is dropped; the last data stays while the next answer is
 * on its way; `error` is the failure in words. No cache: each reader asks for itself. `name` is fixed for the
 * component's life. The rules are CallQuery's (lib/call-query.ts, tested there).
 */
export function useCall<N extends CallName>(
  name: N,
  input: CallInput<N>,
  { enabled = true, deps = [], reloadOn }: CallOptions = {},
): CallResult<CallOutput<N>> {
  const [query] = useState(() => new CallQuery(getApi, name));
  const state = useSyncExternalStore(query.subscribe, query.snapshot);
  // One string for what the answer depends on: a new input object with the same content asks nothing.
  const key = JSON.stringify([input, deps]);

  useEffect(() => {
    if (!enabled) return query.clear();
    const [asked] = JSON.parse(key) as [CallInput<N>];
    void query.ask(asked);
    return () => query.dispose();
  }, [query, key, enabled]);

  useEffect(() => (enabled && reloadOn ? query.reloadOn(reloadOn) : undefined), [query, reloadOn, enabled]);

  return { ...state, reload: query.reload };
}
