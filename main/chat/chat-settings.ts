import { engineMessage } from '../../preload/shared/engine-messages';
import { CHAT_SETTINGS_LIMITS as L, type ChatSettings } from '../../preload/shared/chat-settings';
import { AppError } from '../core/errors';

/** A change to a chat's settings: undefined keeps a value, null (or an empty prompt) clears it to the default. */
export interface ChatSettingsPatch {
  systemPrompt?: string | null;
  temperature?: number | null;
  contextLength?: number | null;
}

/**
 * The settings after `patch`, checked: a prompt of at most 4000 characters, a temperature in 0–2, a whole
 * context length in 512–131072 and, when the model's own is known, not above it. Throws a bad_request
 * AppError naming the first value refused (so nothing is saved).
 */
export function mergeChatSettings(
  current: ChatSettings,
  patch: ChatSettingsPatch,
  model: { name: string; contextLength: number | null } | null,
): ChatSettings {
  const next: ChatSettings = { ...current };
  if (patch.systemPrompt !== undefined) {
    const text = patch.systemPrompt?.trim() ?? '';
    if (text.length > L.systemPromptMaxChars) {
      throw new AppError(
        'bad_request',
        `The chat's system prompt is ${text.length} characters; the limit is ${L.systemPromptMaxChars}.`,
        {},
        engineMessage('error.systemPromptTooLong', { length: text.length, limit: L.systemPromptMaxChars }),
      );
    }
    if (text) next.systemPrompt = text;
    else delete next.systemPrompt;
  }
  if (patch.temperature !== undefined) {
    const t = patch.temperature;
    if (t === null) delete next.temperature;
    else if (!Number.isFinite(t) || t < L.temperatureMin || t > L.temperatureMax) {
      throw new AppError(
        'bad_request',
        `The temperature must be between ${L.temperatureMin} and ${L.temperatureMax}.`,
        {},
        engineMessage('error.temperatureOutOfRange', {}),
      );
    } else next.temperature = t;
  }
  if (patch.contextLength !== undefined) {
    const n = patch.contextLength;
    if (n === null) delete next.contextLength;
    else if (!Number.isInteger(n) || n < L.contextLengthMin || n > L.contextLengthMax) {
      throw new AppError(
        'bad_request',
        `The context length must be a whole number of tokens between ${L.contextLengthMin} and ${L.contextLengthMax}.`,
        {},
        engineMessage('error.contextLengthOutOfRange', { min: L.contextLengthMin, max: L.contextLengthMax }),
      );
    } else if (model?.contextLength != null && n > model.contextLength) {
      throw new AppError(
        'bad_request',
        `${model.name} reads at most ${model.contextLength} tokens; choose a context length up to that.`,
        {},
        engineMessage('error.contextLengthOverModel', { model: model.name, max: model.contextLength }),
      );
    } else next.contextLength = n;
  }
  return next;
}

/**
 * The style's options with the chat's temperature and context length in place (they beat the style and the
 * small-model tuning). A context length above the model's own (the chat moved to a smaller model) is cut to it.
 */
export function withChatOptions<O extends { temperature: number; num_ctx: number }>(
  options: O,
  settings: ChatSettings,
  modelContextLength: number | null,
): O {
  const out = { ...options };
  if (settings.temperature !== undefined) out.temperature = settings.temperature;
  if (settings.contextLength !== undefined) {
    out.num_ctx =
      modelContextLength != null ? Math.min(settings.contextLength, modelContextLength) : settings.contextLength;
  }
  return out;
}

/**
 * The user's instructions for this chat go AFTER the agent's prompt, never instead of it: the rules on tools,
 * measured figures and not inventing data stay in force whatever the user writes here.
 */
export function withChatInstructions(systemPrompt: string, settings: ChatSettings): string {
  if (!settings.systemPrompt) return systemPrompt;
  return `${systemPrompt}\n\nInstructions from the user for this conversation:\n${settings.systemPrompt}`;
}
