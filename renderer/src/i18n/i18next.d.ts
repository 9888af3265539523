import 'i18next';
import type en from './locales/en.json';

// Keys and their {{variables}} are checked against the English file at compile time.
declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof en };
    returnNull: false;
  }
}
