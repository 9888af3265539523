import { STYLE_PRESETS } from './style-presets';
import type { StyleName } from '../../preload/shared/style-presets';

/** Generation settings for one reply: the style preset, tightened for small models as the seed prescribes. */
interface GenerationTuning {
  lowEnd: boolean;
  options: { num_predict: number; temperature: number; top_p: number; top_k?: number; num_ctx: number };
  historyMessages: number;
  retryDelayMs: number;
}

const LOW_END_TAG = /:(0\.5b|1b|1\.5b|3b)\b/i;

/** `:0.5b`, `:1b`, `:3b` in the name, or a known parameter count of 3B or less. */
function isLowEndModel(model: string, parameterCount?: number | null): boolean {
  if (LOW_END_TAG.test(model)) return true;
  return parameterCount != null && parameterCount > 0 && parameterCount <= 3.2e9;
}

const DEFAULT_NUM_CTX = 4096;

export function tuningFor(model: string, style: StyleName, parameterCount?: number | null): GenerationTuning {
  const preset = STYLE_PRESETS[style];
  if (isLowEndModel(model, parameterCount)) {
    return {
      lowEnd: true,
      options: {
        num_predict: Math.min(preset.maxTokens, 800),
        temperature: Math.min(preset.temperature, 0.35),
        top_p: Math.min(preset.topP, 0.8),
        top_k: 40,
        num_ctx: DEFAULT_NUM_CTX,
      },
      historyMessages: 8,
      retryDelayMs: 2000,
    };
  }
  return {
    lowEnd: false,
    options: {
      num_predict: preset.maxTokens,
      temperature: preset.temperature,
      top_p: preset.topP,
      num_ctx: DEFAULT_NUM_CTX,
    },
    historyMessages: 32,
    retryDelayMs: 1000,
  };
}
