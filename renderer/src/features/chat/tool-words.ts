import type { ToolActivityDto } from '../../../../preload/contract';

const SOURCE_LABELS: Record<string, string> = {
  airqo: 'AirQo',
  waqi: 'WAQI',
  openmeteo: 'Open-Meteo',
  openaq: 'OpenAQ',
  defra: 'UK-AIR',
  uba: 'UBA',
  nsw: 'NSW Air Quality',
  carbonintensity: 'Carbon Intensity API',
  cache: 'cache',
};

export const sourceLabel = (id: string): string => SOURCE_LABELS[id] ?? id;

/** [while running, once done]; `{x}` is the call's label (a city, a site), dropped with its words when absent. */
const WORDS: Record<string, [string, string]> = {
  get_city_air_quality: ['Looking up the air in {x}', 'Looked up the air in {x}'],
  get_air_quality_forecast: ['Looking up the forecast for {x}', 'Looked up the forecast for {x}'],
  get_openmeteo_current_air_quality: ['Looking up the modelled air at {x}', 'Looked up the modelled air at {x}'],
  search_airqo_sites: ['Searching AirQo monitors near {x}', 'Searched AirQo monitors near {x}'],
  get_airqo_history: ['Reading past measurements for {x}', 'Read past measurements for {x}'],
  get_openmeteo_historical: ['Reading past modelled air for {x}', 'Read past modelled air for {x}'],
  compute_aqi: ['Working out the AQI', 'Worked out the AQI'],
  get_health_advice: ['Looking up health advice', 'Looked up health advice'],
  generate_chart: ['Drawing a chart', 'Drew a chart'],
  query_imported_data: ['Reading your imported data for {x}', 'Read your imported data for {x}'],
  get_defra_site_data: ['Reading UK-AIR measurements for {x}', 'Read UK-AIR measurements for {x}'],
  get_defra_sites: ['Listing UK-AIR stations', 'Listed UK-AIR stations'],
  get_uba_measures: ['Reading UBA measurements for {x}', 'Read UBA measurements for {x}'],
  get_nsw_air_quality: ['Reading NSW measurements for {x}', 'Read NSW measurements for {x}'],
  get_nsw_sites: ['Listing NSW monitoring sites', 'Listed NSW monitoring sites'],
  get_nsw_pollutant_data: ['Reading NSW {x} across sites', 'Read NSW {x} across sites'],
  get_uk_carbon_intensity: [
    'Looking up Great Britain’s grid carbon intensity',
    'Looked up Great Britain’s grid carbon intensity',
  ],
  get_airqo_metadata: ['Reading AirQo’s network metadata', 'Read AirQo’s network metadata'],
};

/**
 * A tool call in plain words, as a person would say it: "Looked up the air in Kampala (AirQo)" rather than
 * `get_city_air_quality`. Unknown tools keep their name.
 */
export function toolWords(tool: Pick<ToolActivityDto, 'name' | 'label' | 'status' | 'sources'>): string {
  const pair = WORDS[tool.name];
  const sources = tool.sources.filter((s) => s !== 'cache').map(sourceLabel);
  const via = sources.length > 0 && tool.status === 'done' ? ` (${sources.join(', ')})` : '';
  if (!pair) return `${tool.label ? `${tool.name}: ${tool.label}` : tool.name}${via}`;
  const template = tool.status === 'running' ? pair[0] : pair[1];
  const text = tool.label ? template.replace('{x}', tool.label) : template.replace(/ (in|for|at|near) \{x\}$/, '');
  return `${text}${tool.status === 'running' ? '…' : ''}${via}`;
}

/** "14:00", or "3 Jan 14:00" when not today: when a reading was measured, in the viewer's time zone. */
export function measuredTime(iso: string, now = new Date()): string | null {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return null;
  const time = t.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return t.toDateString() === now.toDateString()
    ? time
    : `${t.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} ${time}`;
}
