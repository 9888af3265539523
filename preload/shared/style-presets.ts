/**
 * The seed's answer styles, one list for the engine (presets, validation), the contract, the original
 * API's schemas and the UI's picker. The generation limits and prompt hints stay in main/chat.
 */
export const STYLE_NAMES = ['executive', 'technical', 'general', 'simple', 'policy'] as const;
export type StyleName = (typeof STYLE_NAMES)[number];

export function isStyleName(v: unknown): v is StyleName {
  return typeof v === 'string' && (STYLE_NAMES as readonly string[]).includes(v);
}

/** The picker's order (everyday styles first) and labels. */
export const STYLE_CHOICES: ReadonlyArray<{ value: StyleName; label: string }> = [
  { value: 'general', label: 'General' },
  { value: 'simple', label: 'Simple' },
  { value: 'technical', label: 'Technical' },
  { value: 'executive', label: 'Executive' },
  { value: 'policy', label: 'Policy' },
];
