import type { ToolActivityDto } from '../../../../preload/contract';
import { i18n, t } from '../../i18n';
import { formatShortDateTime, formatTime } from '../../lib/format';

const SOURCE_LABELS: Record<string, string> = {
  airqo: 'AirQo',
  waqi: 'WAQI',
  openmeteo: 'Open-Meteo',
  openaq: 'OpenAQ',
  defra: 'UK-AIR',
  uba: 'UBA',
  nsw: 'NSW Air Quality',
  carbonintensity: 'Carbon Intensity API',
  websearch: 'DuckDuckGo',
};

export const sourceLabel = (id: string): string => (id === 'cache' ? t('chat.tools.cache') : (SOURCE_LABELS[id] ?? id));

/**
 * The tools said in words (locale keys chat.tools.<name>): `running`/`done`, and `runningAt`/`doneAt` with the
 * call's label (a city, a site) as {{x}} where the tool takes one. test/renderer-on-engine/tool-words.test.ts
 * fails when this list and the engine's tools drift apart.
 */
export const TOOLS_IN_WORDS: ReadonlySet<string> = new Set([
  'get_city_air_quality',
  'get_air_quality_forecast',
  'get_openmeteo_current_air_quality',
  'search_airqo_sites',
  'get_airqo_history',
  'compute_aqi',
  'get_health_advice',
  'generate_chart',
  'query_imported_data',
  'get_openmeteo_historical',
  'get_defra_site_data',
  'get_defra_sites',
  'get_uba_measures',
  'get_nsw_air_quality',
  'get_nsw_sites',
  'get_nsw_pollutant_data',
  'get_uk_carbon_intensity',
  'get_airqo_metadata',
  'search_web',
  'scrape_website',
  'get_air_quality_by_coordinates',
  'reverse_geocode',
  'get_city_weather',
  'get_weather_forecast',
  'search_waqi_stations',
  'get_airqo_forecast',
  'get_defra_species_codes',
  'search_documents',
  'scan_document',
]);
type ToolWordsKey = 'get_city_air_quality';

/**
 * A tool call in plain words, as a person would say it: "Looked up the air in Kampala (AirQo)" rather than
 * `get_city_air_quality`. Unknown tools keep their name.
 */
export function toolWords(tool: Pick<ToolActivityDto, 'name' | 'label' | 'status' | 'sources'>): string {
  const sources = tool.sources.filter((s) => s !== 'cache').map(sourceLabel);
  const via = sources.length > 0 && tool.status === 'done' ? ` (${sources.join(', ')})` : '';
  if (!TOOLS_IN_WORDS.has(tool.name)) return `${tool.label ? `${tool.name}: ${tool.label}` : tool.name}${via}`;
  const name = tool.name as ToolWordsKey;
  const running = tool.status === 'running';
  const withPlace = tool.label && i18n.exists(`chat.tools.${name}.doneAt`);
  const text = withPlace
    ? t(running ? `chat.tools.${name}.runningAt` : `chat.tools.${name}.doneAt`, { x: tool.label })
    : t(running ? `chat.tools.${name}.running` : `chat.tools.${name}.done`);
  return `${text}${running ? '…' : ''}${via}`;
}

/** "14:00", or "3 Jan 14:00" when not today: when a reading was measured, in the viewer's time zone. */
export function measuredTime(iso: string, now = new Date()): string | null {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return null;
  return when.toDateString() === now.toDateString() ? formatTime(when) : formatShortDateTime(when);
}
