import type { Handlers } from './handler-types';
import type { Engine } from '../engine';
import { coreHandlers } from './handlers/core-handlers';
import { importsHandlers } from './handlers/imports-handlers';
import { documentsHandlers } from './handlers/documents-handlers';
import { airQualityHandlers } from './handlers/airquality-handlers';
import { modelsHandlers } from './handlers/models-handlers';
import { opsHandlers } from './handlers/ops-handlers';
import { guardRecoveryMode, recoveryHandlers } from './handlers/recovery-handlers';
import { providersHandlers } from './handlers/providers-handlers';
import { instrumentHandlers } from '../ops/metrics/call-metrics';

export type { Handlers, HandlersOf } from './handler-types';

/** Every contract call, implemented on the engine; one handlers module per capability. */
export function createHandlers(engine: Engine, shell: 'electron' | 'serve'): Handlers {
  return instrumentHandlers(
    engine.metrics,
    guardRecoveryMode(engine, {
      ...coreHandlers(engine, shell),
      ...importsHandlers(engine, shell),
      ...documentsHandlers(engine),
      ...airQualityHandlers(engine),
      ...modelsHandlers(engine, shell),
      ...opsHandlers(engine, shell),
      ...recoveryHandlers(engine),
      ...providersHandlers(engine),
    }),
  );
}
