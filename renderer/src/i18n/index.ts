import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { isUiLanguage, UI_LANGUAGES, type UiLanguage } from '../../../preload/shared/ui-languages';
import { persisted } from '../lib/persisted';
import type en from './locales/en.json';

export type { UiLanguage };

// Keys and their {{variables}} are checked against the English file at compile time.
declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof en };
    returnNull: false;
  }
}
export { isUiLanguage, UI_LANGUAGES };

/**
 * Each language is fetched when first used, English too: the first screen waits for the one it shows
 * (startI18n), and a French or Swahili user never downloads the English (nor an English user theirs).
 * Each is a plain JSON file a translator can edit (keys by feature).
 */
// Their keys match English's (i18n.test.ts checks); typed loosely so a file being translated still builds.
const LOADERS: Record<UiLanguage, () => Promise<{ default: object }>> = {
  en: () => import('./locales/en.json'),
  fr: () => import('./locales/fr.json'),
  sw: () => import('./locales/sw.json'),
};

/** Each language's name in itself, for the picker (a French speaker looks for "Français", not "French"). */
export const LANGUAGE_NAMES: Record<UiLanguage, string> = { en: 'English', fr: 'Français', sw: 'Kiswahili' };

/** The last language shown, so a reload paints in it before the settings arrive from the engine. */
const lastShown = persisted('aeris.uiLanguage');

/** The first of the browser's/OS's languages (`navigator.languages`) that the UI speaks, else English. */
export function detectLanguage(preferred: readonly string[] | undefined): UiLanguage {
  for (const tag of preferred ?? []) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (isUiLanguage(primary)) return primary;
  }
  return 'en';
}

function systemLanguages(): readonly string[] {
  return typeof navigator === 'undefined' ? [] : navigator.languages;
}

/** What to show when no language was chosen in Settings: the system's. */
export function systemLanguage(): UiLanguage {
  return detectLanguage(systemLanguages());
}

/**
 * Holds no strings until setLanguage fetches some: the app renders after startI18n (main.tsx), and the tests
 * load English up front (test-support/english.ts). A key missing from a translation falls back to English
 * when English was loaded in this session, else shows as the key (npm run i18n:check keeps none missing).
 * Plurals use i18next's own Intl.PluralRules suffixes (`_one`, `_many`, `_other`) rather than i18next-icu: no
 * ICU parser in the bundle, and a translator edits plain sentences instead of `{count, plural, …}` syntax.
 */
export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: {},
  partialBundledLanguages: true,
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: [...UI_LANGUAGES],
  // React escapes what it renders; escaping here too would show &amp; in the UI.
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

/** Switches to the language last shown (else the system's); the app renders after this resolves. */
export async function startI18n(): Promise<void> {
  const saved = lastShown.get();
  await setLanguage(isUiLanguage(saved) ? saved : systemLanguage());
}

/** Switches the UI at once, fetching the language's strings the first time. */
export async function setLanguage(lng: UiLanguage): Promise<void> {
  if (!i18n.hasResourceBundle(lng, 'translation')) {
    const { default: strings } = await LOADERS[lng]();
    i18n.addResourceBundle(lng, 'translation', strings);
  }
  await i18n.changeLanguage(lng);
  lastShown.set(lng);
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
}

/** The language in use now (for Intl formatting and the chat request). */
export function currentLanguage(): UiLanguage {
  const lng = i18n.resolvedLanguage ?? i18n.language;
  return isUiLanguage(lng) ? lng : 'en';
}

/** Translation outside React (stores, notices); components use useTranslation(). */
// Bound: i18n.t is a method that reads `this`.
export const t: typeof i18n.t = i18n.t.bind(i18n);
