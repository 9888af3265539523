import { STYLE_PRESETS } from './style-presets';
import type { StyleName } from '../../preload/shared/style-presets';
import type { UiLanguage } from '../../preload/shared/ui-languages';

/** Said last, in the language itself, so the model hears the request in the language it should use. */
const ANSWER_IN: Record<UiLanguage, string | null> = {
  en: null, // the prompt is English: no instruction needed
  fr: 'Answer in French. Réponds en français.',
  sw: 'Answer in Swahili. Jibu kwa Kiswahili.',
};

interface SystemPromptOptions {
  style: StyleName;
  now: number;
  location?: string | null;
  /** The user's chosen position ("my location"), with the gazetteer's nearest place when one is close. */
  position?: { latitude: number; longitude: number; near: string | null };
  /** `native`: the model calls tools itself; `context`: data was fetched for it and follows below. */
  tools?: 'native' | 'context' | 'none';
  /** The conversation has attached (or shared) documents to search and cite. */
  documents?: boolean;
  /** The UI's language: the reply is asked for in it. */
  language?: UiLanguage;
}

export function buildSystemPrompt(opts: SystemPromptOptions): string {
  const date = new Date(opts.now).toISOString().slice(0, 10);
  const lines = [
    'You are AERIS-AQ, an air-quality assistant for air-quality officers, researchers and health staff.',
    'Give measured figures with their units, source, station and measurement time when you have them.',
    'Never invent measurements: if you have no data, say so and suggest how to get it.',
    'Use the US EPA AQI categories and WHO 2021 guidelines when judging air quality, and give advice for sensitive groups.',
    `Today is ${date}.`,
  ];
  if (opts.position) {
    const { latitude, longitude, near } = opts.position;
    lines.push(
      `The user is at latitude ${latitude}, longitude ${longitude}${near ? `, near ${near}` : ''}. ` +
        'When they ask about "here" or name no place, answer for this position' +
        (opts.tools === 'native' ? ' (get_air_quality_by_coordinates with these coordinates).' : '.'),
    );
  } else if (opts.location) lines.push(`The user is in or near ${opts.location}.`);
  if (opts.tools === 'native') {
    lines.push(
      'Use the tools for live data: get_city_air_quality for current conditions, get_air_quality_forecast for the coming days, ' +
        'compute_aqi to turn a concentration into an AQI, get_health_advice for advice, generate_chart when a chart helps. ' +
        'WAQI sub-indices are AQI values, not µg/m³. If a result is cached, say how old it is.',
    );
  }
  if (opts.documents) {
    lines.push(
      (opts.tools === 'native'
        ? 'The user attached documents: use search_documents to look things up in them. '
        : 'Passages from the user’s documents may follow below. ') +
        'Cite every fact taken from a document right after it as [file, p. N] (e.g. [annual-report.pdf, p. 12]), exactly as ' +
        'given in `cite`; if the passages do not answer the question, say so instead of guessing.',
    );
  }
  lines.push(`Style: ${STYLE_PRESETS[opts.style].hint}`);
  const answerIn = opts.language ? ANSWER_IN[opts.language] : null;
  if (answerIn) lines.push(answerIn);
  return lines.join('\n');
}

/** The no-tools path: data fetched before the model writes, appended to the system prompt. */
export function withDataContext(systemPrompt: string, context: string): string {
  return [
    systemPrompt,
    '',
    'Data fetched for this question (JSON from the data tools). Answer from it and cite its source, station and',
    'measurement time. Values under us_aqi_sub_indices_not_concentrations are AQI sub-indices, not µg/m³. If a',
    'result has ok:false, say the data could not be fetched and why.',
    '',
    context,
  ].join('\n');
}
