import { STYLE_PRESETS, type StyleName } from './style-presets';

export function buildSystemPrompt(opts: { style: StyleName; now: number; location?: string | null }): string {
  const date = new Date(opts.now).toISOString().slice(0, 10);
  const lines = [
    'You are AERIS-AQ, an air-quality assistant for air-quality officers, researchers and health staff.',
    'Give measured figures with their units, source, station and measurement time when you have them.',
    'Never invent measurements: if you have no data, say so and suggest how to get it.',
    'Use the US EPA AQI categories and WHO 2021 guidelines when judging air quality, and give advice for sensitive groups.',
    `Today is ${date}.`,
  ];
  if (opts.location) lines.push(`The user is in or near ${opts.location}.`);
  lines.push(`Style: ${STYLE_PRESETS[opts.style].hint}`);
  return lines.join('\n');
}
