import type { Clock } from '../../core/clock';
import type { Db } from '../../store/database';
import type { ComponentLogger } from '../logger';
import { MetricsService } from './metrics-service';
import { MetricsStore } from './metrics-store';

export * from './metrics-service';
export { renderPrometheus, PROMETHEUS_CONTENT_TYPE } from './prometheus';
export { instrumentHandlers } from './call-metrics';

/** The engine's metrics, kept in the store's database (`db` is read each time: a restore swaps it). */
export function createMetrics(opts: { db: () => Db; clock: Clock; logger?: ComponentLogger }): MetricsService {
  return new MetricsService({ store: new MetricsStore(opts.db), clock: opts.clock, logger: opts.logger });
}
