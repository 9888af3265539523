import type { StyleName } from '../../preload/shared/style-presets';

/** The seed's style presets: generation limits plus a one-line hint added to the system prompt. */

interface StylePreset {
  maxTokens: number;
  temperature: number;
  topP: number;
  hint: string;
}

export const STYLE_PRESETS: Record<StyleName, StylePreset> = {
  executive: {
    maxTokens: 1500,
    temperature: 0.3,
    topP: 0.85,
    hint: 'Lead with the conclusion and the decision it supports; keep it brief.',
  },
  technical: {
    maxTokens: 2000,
    temperature: 0.4,
    topP: 0.88,
    hint: 'Be precise: give units, averaging periods, methods and data sources.',
  },
  general: {
    maxTokens: 1500,
    temperature: 0.5,
    topP: 0.9,
    hint: 'Explain clearly for an interested member of the public.',
  },
  simple: {
    maxTokens: 1200,
    temperature: 0.6,
    topP: 0.92,
    hint: 'Use short sentences and everyday words; avoid jargon.',
  },
  policy: {
    maxTokens: 2000,
    temperature: 0.35,
    topP: 0.87,
    hint: 'Frame findings against standards (WHO 2021, national limits) and name policy options.',
  },
};
