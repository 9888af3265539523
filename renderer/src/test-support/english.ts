import en from '../i18n/locales/en.json';
import { i18n } from '../i18n';

/**
 * The app fetches its language before it renders (startI18n in main.tsx); a test renders a component or runs a
 * store straight away, so the English strings are there from the start (vitest.config.ts setupFiles).
 */
i18n.addResourceBundle('en', 'translation', en);
