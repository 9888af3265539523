/**
 * A chat's own generation settings (issue 15, as Jan and Open WebUI offer): limits shared by the contract's
 * schemas, the engine's checks and the settings dialog. Absent = the style's and the model's defaults.
 */
export interface ChatSettings {
  /** Added to the agent's system prompt for this conversation only. */
  systemPrompt?: string;
  /** Overrides the style's temperature. */
  temperature?: number;
  /** Ollama's `num_ctx`: how many tokens of the conversation the model reads. */
  contextLength?: number;
}

export const CHAT_SETTINGS_LIMITS = {
  systemPromptMaxChars: 4000,
  temperatureMin: 0,
  temperatureMax: 2,
  contextLengthMin: 512,
  contextLengthMax: 131072,
} as const;
