import type { i18n as I18n } from 'i18next';
import en from '../i18n/locales/en.json';
import { i18n } from '../i18n';

/**
 * The app fetches its language before it renders (startI18n in main.tsx); a test renders a component or runs a
 * store straight away, so the English strings are there from the start (vitest.config.ts setupFiles), and in
 * the fresh i18n module a test gets after vi.resetModules (render-with-bridge.ts).
 */
export function withEnglish(instance: I18n): void {
  instance.addResourceBundle('en', 'translation', en);
}

withEnglish(i18n);
