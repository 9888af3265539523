import type { CallInput, CallName, CallOutput } from '../../preload/contract';
import type { Engine } from '../engine';
import { coreHandlers } from './handlers/core-handlers';

export type HandlersOf<K extends CallName> = {
  [N in K]: (input: CallInput<N>) => Promise<CallOutput<N>> | CallOutput<N>;
};
export type Handlers = HandlersOf<CallName>;

/** Every contract call, implemented on the engine; one handlers module per capability. */
export function createHandlers(engine: Engine, shell: 'electron' | 'serve'): Handlers {
  return {
    ...coreHandlers(engine, shell),
  };
}
