import type { CallInput, CallName, CallOutput } from '../../preload/contract';
import type { Engine } from '../engine';
import { coreHandlers } from './handlers/core-handlers';
import { importsHandlers } from './handlers/imports-handlers';
import { airQualityHandlers } from './handlers/airquality-handlers';
import { modelsHandlers } from './handlers/models-handlers';
import { opsHandlers } from './handlers/ops-handlers';
import { instrumentHandlers } from '../ops/metrics/call-metrics';

export type HandlersOf<K extends CallName> = {
  [N in K]: (input: CallInput<N>) => Promise<CallOutput<N>> | CallOutput<N>;
};
export type Handlers = HandlersOf<CallName>;

/** Every contract call, implemented on the engine; one handlers module per capability. */
export function createHandlers(engine: Engine, shell: 'electron' | 'serve'): Handlers {
  return instrumentHandlers(engine.metrics, {
    ...coreHandlers(engine, shell),
    ...importsHandlers(engine, shell),
    ...airQualityHandlers(engine),
    ...modelsHandlers(engine, shell),
    ...opsHandlers(engine, shell),
  });
}
