import type { CallInput, CallName, CallOutput } from '../../preload/contract';

/** The implementations of some contract calls: each capability's handlers module returns one of these. */
export type HandlersOf<K extends CallName> = {
  [N in K]: (input: CallInput<N>) => Promise<CallOutput<N>> | CallOutput<N>;
};
export type Handlers = HandlersOf<CallName>;
