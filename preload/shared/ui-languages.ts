/**
 * The languages the UI speaks, one list for the contract, the settings, the agent's prompt and the renderer.
 * English is the fallback; French and Swahili are what users in East and West Africa ask for first.
 */
export const UI_LANGUAGES = ['en', 'fr', 'sw'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

export function isUiLanguage(v: unknown): v is UiLanguage {
  return typeof v === 'string' && (UI_LANGUAGES as readonly string[]).includes(v);
}
