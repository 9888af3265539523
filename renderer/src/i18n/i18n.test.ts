import { afterEach, describe, expect, it, vi } from 'vitest';
import en from './locales/en.json';
import fr from './locales/fr.json';
import sw from './locales/sw.json';
import { currentLanguage, detectLanguage, i18n, setLanguage, t } from '.';
import { formatDecimal } from '../lib/format';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

const PLURAL = /_(zero|one|two|few|many|other)$/;
/** A key without its plural suffix: languages have different plural forms (French has `many`). */
const base = (key: string) => key.replace(PLURAL, '');
const variables = (s: string) => [...s.matchAll(/\{\{\s*(\w+)[^}]*\}\}/g)].map((m) => m[1]).sort();
const tags = (s: string) => [...s.matchAll(/<\/?(\w+)\s*\/?>/g)].map((m) => m[0]).sort();

const LOCALES = { en, fr, sw } as Record<string, Tree>;
const english = flatten(en as Tree);

describe('locale files (a translator edits them; this keeps them whole)', () => {
  for (const lang of ['fr', 'sw']) {
    const strings = flatten(LOCALES[lang]!);

    it(`${lang} has every English key and no other`, () => {
      const want = [...new Set([...english.keys()].map(base))].sort();
      const have = [...new Set([...strings.keys()].map(base))].sort();
      expect(have).toEqual(want);
    });

    it(`${lang} has each plural form its language needs (Intl.PluralRules)`, () => {
      const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      const plurals = new Set([...english.keys()].filter((k) => PLURAL.test(k)).map(base));
      for (const key of plurals) {
        for (const form of needed) expect(strings.has(`${key}_${form}`), `${key}_${form}`).toBe(true);
      }
    });

    it(`${lang} keeps the same {{variables}} and markup as English, and no value is empty`, () => {
      for (const [key, value] of strings) {
        expect(value.trim(), key).not.toBe('');
        const source = english.get(key) ?? english.get(`${base(key)}_other`) ?? english.get(base(key));
        expect(source, key).toBeDefined();
        expect(variables(value), key).toEqual(variables(source!));
        expect(tags(value), key).toEqual(tags(source!));
      }
    });
  }

  it('English has no empty value', () => {
    for (const [key, value] of english) expect(value.trim(), key).not.toBe('');
  });
});

describe('language detection', () => {
  it('takes the first of navigator.languages the UI speaks, by its primary tag', () => {
    expect(detectLanguage(['fr-FR', 'en-US'])).toBe('fr');
    expect(detectLanguage(['sw-KE'])).toBe('sw');
    expect(detectLanguage(['sw_TZ'])).toBe('sw');
    expect(detectLanguage(['de-DE', 'FR-CI', 'en'])).toBe('fr');
    expect(detectLanguage(['en-GB', 'fr'])).toBe('en');
  });

  it('falls back to English for languages it does not speak, or none', () => {
    expect(detectLanguage(['lg-UG', 'rw'])).toBe('en');
    expect(detectLanguage([])).toBe('en');
    expect(detectLanguage(undefined)).toBe('en');
  });
});

describe('switching language', () => {
  afterEach(async () => {
    await setLanguage('en');
  });

  it('loads French and Swahili on demand and translates at once', async () => {
    expect(t('nav.settings')).toBe('Settings');
    await setLanguage('fr');
    expect(currentLanguage()).toBe('fr');
    expect(t('nav.settings')).toBe('Réglages');
    await setLanguage('sw');
    expect(t('nav.settings')).toBe('Mipangilio');
  });

  it('fetches only the language it shows: a French start loads no English, and a missing key shows as itself', async () => {
    // A fresh module, as a page load has it (the tests' setup put English into the shared one).
    vi.resetModules();
    const fresh = await import('.');
    expect(fresh.i18n.hasResourceBundle('en', 'translation')).toBe(false);
    await fresh.setLanguage('fr');
    expect(fresh.t('nav.settings')).toBe('Réglages');
    expect(fresh.i18n.hasResourceBundle('en', 'translation')).toBe(false);
    expect(fresh.i18n.hasResourceBundle('sw', 'translation')).toBe(false);
    expect(fresh.i18n.t('test.nowhere' as never)).toBe('test.nowhere');
    await fresh.setLanguage('en');
    expect(fresh.t('nav.settings')).toBe('Settings');
  });

  it('falls back to English for a key a translation lacks', async () => {
    await setLanguage('fr');
    i18n.addResource('en', 'translation', 'test.onlyEnglish', 'Only in English');
    expect(i18n.t('test.onlyEnglish' as never)).toBe('Only in English');
  });

  it('uses the plural rules of each language (French: 0 and 1 are singular)', async () => {
    await setLanguage('en');
    expect(t('chat.sidebar.messages', { count: 0 })).toBe('0 messages');
    expect(t('chat.sidebar.messages', { count: 1 })).toBe('1 message');
    await setLanguage('fr');
    expect(t('chat.sidebar.messages', { count: 0 })).toBe('0 message');
    expect(t('chat.sidebar.messages', { count: 1 })).toBe('1 message');
    expect(t('chat.sidebar.messages', { count: 2 })).toBe('2 messages');
    expect(t('chat.sidebar.messages', { count: 1_000_000 })).toBe('1000000 messages');
    await setLanguage('sw');
    expect(t('chat.sidebar.messages', { count: 1 })).toBe('ujumbe 1');
    expect(t('chat.sidebar.messages', { count: 3 })).toBe('jumbe 3');
  });

  it('formats numbers in the active language', async () => {
    await setLanguage('fr');
    expect(formatDecimal(8.4)).toBe('8,4');
    await setLanguage('sw');
    expect(formatDecimal(8.4)).toBe('8.4');
  });
});
