import type { AirQualityService } from '../../airquality/air-quality-service';
import type { ComponentLogger } from '../../core/logger';
import { aqiTools } from './aqi-tools';
import { chartTool } from './chart-tool';
import { dataTools } from './data-tools';
import { documentTools } from './document-tool';
import type { DocumentsService } from '../../documents/documents-service';
import { historyAndPlaceTools } from './history-place-tools';
import { airQoForecastTool, stationSearchTool } from './station-search-tool';
import { weatherTools } from './weather-tools';
import { importedDataTool } from './imported-data-tool';
import type { ImportsService } from '../../imports/imports-service';
import { ToolRegistry } from './tool-registry';
import { registerOfficialTools } from './official-tools';
import { OfficialSources } from '../../airquality/official-sources';
import { WebSources } from '../../airquality/web-sources';
import { webTools } from './web-tools';

export { ToolRegistry } from './tool-registry';
export type { ChartSpec } from './chart-tool';
export type * from './tool-types';

/** The tool names, as the seed had them, so its users recognise them. */
export const AIR_QUALITY_TOOL_NAMES = [
  'get_city_air_quality',
  'get_air_quality_forecast',
  'get_openmeteo_current_air_quality',
  'search_airqo_sites',
  'get_airqo_history',
  'get_openmeteo_historical',
  'reverse_geocode',
  'get_air_quality_by_coordinates',
  'get_city_weather',
  'get_weather_forecast',
  'search_waqi_stations',
  'get_airqo_forecast',
  'get_defra_site_data',
  'get_defra_sites',
  'get_defra_species_codes',
  'get_uba_measures',
  'get_nsw_air_quality',
  'get_nsw_sites',
  'get_nsw_pollutant_data',
  'get_uk_carbon_intensity',
  'get_airqo_metadata',
  'compute_aqi',
  'get_health_advice',
  'generate_chart',
] as const;

/** Every air-quality tool, ready for the agent loop; `query_imported_data` and `search_documents` when their services are given. */
export function createAirQualityTools(
  service: AirQualityService,
  logger?: ComponentLogger,
  imports?: ImportsService,
  documents?: DocumentsService,
  /** The optional online tools: offered only while `enabled()` (Settings → Sources, off by default). */
  web?: { env: NodeJS.ProcessEnv; enabled: () => boolean; sources?: WebSources },
): ToolRegistry {
  return new ToolRegistry(logger, (registry) => {
    for (const t of [
      ...dataTools(service),
      ...historyAndPlaceTools(service),
      ...weatherTools(service),
      stationSearchTool(service),
      airQoForecastTool(service),
    ])
      registry.register(t);
    registerOfficialTools(registry, new OfficialSources(service));
    for (const t of [...aqiTools(), chartTool()]) registry.register(t);
    if (imports) registry.register(importedDataTool(imports));
    if (documents) for (const t of documentTools(documents)) registry.register(t);
    if (web)
      for (const t of webTools(web.sources ?? new WebSources(service, { env: web.env }), web.enabled))
        registry.register(t);
  });
}
