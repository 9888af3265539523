import { engineMessage } from '../../../preload/shared/engine-messages';
import type { AIRQUALITY_CALLS, SourcesStatusDto } from '../../../preload/contract';
import { computeAqi } from '../../airquality/aqi/epa-aqi';
import { parsePollutant } from '../../airquality/aqi/breakpoints';
import { AppError } from '../../core/errors';
import { resolveLocation } from '../../airquality/my-location';
import { SOURCE_ENV } from '../../airquality/sources/source-config';
import type { Engine } from '../../engine';
import type { HandlersOf } from '../handler-types';

/** Status for the data-sources page. Keys never leave the engine: only whether one is set, and from where. */
function sourcesStatus(engine: Engine): SourcesStatusDto {
  const cfg = engine.airQuality.config();
  return {
    keyStorage: engine.sourceSettings.kind,
    webTools: engine.sourceSettings.get().webTools === 'on',
    sources: engine.airQuality.sourceStatus().map((s) => {
      const resolved = cfg.sources[s.id];
      return {
        id: s.id,
        name: s.name,
        configured: s.configured,
        needsKey: resolved.needsKey,
        keyConfigured: resolved.key !== null,
        keyFrom: s.keyFrom,
        baseUrl: s.baseUrl,
        baseUrlFrom: s.baseUrlFrom,
        baseUrlEnv: SOURCE_ENV[s.id].url,
        keyEnv: SOURCE_ENV[s.id].key ?? null,
        breaker: {
          state: s.breaker.state,
          consecutiveFailures: s.breaker.consecutiveFailures,
          retryAt: s.breaker.retryAt,
          lastSuccessAt: s.breaker.lastSuccessAt,
          lastFailureAt: s.breaker.lastFailureAt,
          lastError: s.breaker.lastError,
        },
      };
    }),
  };
}

export function airQualityHandlers(engine: Engine): HandlersOf<keyof typeof AIRQUALITY_CALLS> {
  return {
    'sources.status': () => sourcesStatus(engine),
    'sources.update': (patch) => {
      // A value the environment overrides would be saved and never used: say where to change it instead.
      const locked = engine.airQuality.envLockedFields(patch)[0];
      if (locked)
        throw new AppError(
          'bad_request',
          `${locked.field} is set by ${locked.variable} on this computer; change it there.`,
          { field: locked.field, variable: locked.variable },
          engineMessage('error.sourceFieldLocked', { variable: locked.variable }),
        );
      engine.sourceSettings.update(patch);
      engine.logger.log('info', 'sources', 'data-source settings saved', { fields: Object.keys(patch) });
      return sourcesStatus(engine);
    },
    'sources.test': async ({ id }) => {
      const r = await engine.airQuality.testConnection(id);
      // Which source and how it went; the detail is already scrubbed of keys.
      engine.logger.log(r.ok ? 'info' : 'warn', 'sources', 'connection test', {
        source: id,
        ...(r.ok ? { ms: r.ms } : { reason: r.reason, detail: r.detail }),
      });
      return r;
    },
    'location.resolve': (where) =>
      resolveLocation(engine.airQuality.gazetteer, engine.airQuality.cache, engine.airQuality.now(), where),
    'aqi.compute': ({ pollutant, value, averaging }) => {
      const p = parsePollutant(pollutant);
      if (!p)
        throw new AppError(
          'bad_request',
          `Unknown pollutant "${pollutant}": use pm25, pm10, o3, co, so2 or no2.`,
          {},
          engineMessage('error.unknownPollutant', { pollutant }),
        );
      const r = computeAqi(p, value, averaging);
      return {
        pollutant: r.pollutant,
        averaging: r.averaging,
        concentration: r.concentration,
        truncated: r.truncated,
        unit: r.unit,
        aqi: r.aqi,
        category: r.category,
        color: r.color,
        beyondIndex: r.beyondIndex,
        notes: r.notes,
      };
    },
  };
}
