import { afterEach, describe, expect, it } from 'vitest';
import { ENGINE_MESSAGES, engineMessage, type EngineMessageId } from '../../../preload/shared/engine-messages';
import { ENGINE_TEXT_DTO } from '../../../preload/shared/engine-text-dto';
import en from './locales/en.json';
import fr from './locales/fr.json';
import sw from './locales/sw.json';
import { engineErrorText, engineText, engineTexts, fitReasonText, healthReasonText } from './engine-text';
import { setLanguage } from '.';
import { BridgeError } from '../bridge/http-bridge';

type Tree = { [key: string]: string | Tree };
const LOCALES: Record<string, Tree> = { en: en as Tree, fr: fr as Tree, sw: sw as Tree };
const PLURAL_FORMS = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;
const variables = (s: string) => [...new Set([...s.matchAll(/\{\{\s*(\w+)[^}]*\}\}/g)].map((m) => m[1]!))].sort();

/** The strings a locale has for `engine.<id>`: one, or one per plural form. */
function stringsFor(tree: Tree, id: string): Map<string, string> {
  const path = `engine.${id}`.split('.');
  const leaf = path.pop()!;
  let node: Tree | string | undefined = tree;
  for (const part of path) node = typeof node === 'object' ? node[part] : undefined;
  const out = new Map<string, string>();
  if (typeof node !== 'object') return out;
  if (typeof node[leaf] === 'string') out.set(leaf, node[leaf]);
  for (const form of PLURAL_FORMS) {
    const v = node[`${leaf}_${form}`];
    if (typeof v === 'string') out.set(`${leaf}_${form}`, v);
  }
  return out;
}

/** Every `engine.*` key in a locale, as a message id (plural suffix dropped). */
function localeIds(tree: Tree): Set<string> {
  const out = new Set<string>();
  const walk = (node: Tree, prefix: string) => {
    for (const [k, v] of Object.entries(node)) {
      if (typeof v === 'string') out.add(`${prefix}${k}`.replace(/_(zero|one|two|few|many|other)$/, ''));
      else walk(v, `${prefix}${k}.`);
    }
  };
  const engine = tree.engine;
  if (typeof engine === 'object') walk(engine, '');
  return out;
}

describe('the engine message catalog and the locale files (preload/shared/engine-messages.ts)', () => {
  const ids = Object.keys(ENGINE_MESSAGES) as EngineMessageId[];

  for (const lang of ['en', 'fr', 'sw']) {
    it(`${lang} words every catalog id with exactly its parameters`, () => {
      const tree = LOCALES[lang]!;
      for (const id of ids) {
        const strings = stringsFor(tree, id);
        expect(strings.size, `${lang}: engine.${id} is missing`).toBeGreaterThan(0);
        const params = Object.keys(ENGINE_MESSAGES[id]).sort();
        const plural = [...strings.keys()].some((k) => /_(zero|one|two|few|many|other)$/.test(k));
        if (plural) {
          // A plural message is chosen by `count`, and has each form its language needs.
          expect(params, `${lang}: ${id} has plural forms but no count parameter`).toContain('count');
          for (const form of new Intl.PluralRules(lang).resolvedOptions().pluralCategories) {
            expect(strings.has(`${id.split('.').pop()}_${form}`), `${lang}: engine.${id}_${form}`).toBe(true);
          }
        }
        for (const [key, value] of strings) {
          expect(value.trim(), `${lang}: ${key}`).not.toBe('');
          // French and Swahili may write "one" without the figure; every other parameter must be used.
          const used = variables(value);
          const want = key.endsWith('_one') ? params.filter((p) => p !== 'count' || used.includes('count')) : params;
          expect(used, `${lang}: engine.${id} (${key}) uses other parameters than the catalog`).toEqual(want);
        }
      }
    });

    it(`${lang} has no engine.* key outside the catalog`, () => {
      const extra = [...localeIds(LOCALES[lang]!)].filter((id) => !(id in ENGINE_MESSAGES));
      expect(extra).toEqual([]);
    });
  }

  it('French and Swahili are translations, not copies of the English', () => {
    for (const id of ids) {
      const english = [...stringsFor(LOCALES.en!, id).values()].join('|');
      for (const lang of ['fr', 'sw']) {
        expect([...stringsFor(LOCALES[lang]!, id).values()].join('|'), `${lang}: ${id}`).not.toBe(english);
      }
    }
  });
});

describe('engineText: an engine sentence in the UI language', () => {
  afterEach(async () => {
    await setLanguage('en');
  });

  const unavailable = engineMessage('error.ollamaUnavailable', { host: 'http://127.0.0.1:11434' });

  it('words a known id in French and Swahili with its parameters', async () => {
    await setLanguage('fr');
    expect(engineText(unavailable, 'english')).toBe(
      "Ollama ne répond pas sur http://127.0.0.1:11434. Démarrez Ollama (ou vérifiez l'adresse dans les Paramètres), puis réessayez.",
    );
    await setLanguage('sw');
    expect(engineText(unavailable, 'english')).toMatch(/^Ollama haijibu kwenye http:\/\/127\.0\.0\.1:11434\./);
  });

  it('writes a provider by its name in the language, and an id it does not know as it came', async () => {
    const unreachable = (provider: string) =>
      engineMessage('error.providerUnreachable', { provider, url: 'http://10.0.0.5:8000/v1', error: 'ECONNREFUSED' });
    await setLanguage('fr');
    expect(engineText(unreachable('openai-compatible'), 'english')).toBe(
      'Impossible de joindre Serveur compatible OpenAI (http://10.0.0.5:8000/v1) : ECONNREFUSED',
    );
    await setLanguage('sw');
    expect(engineText(unreachable('openai-compatible'), 'english')).toBe(
      'Seva inayooana na OpenAI (http://10.0.0.5:8000/v1) haipatikani: ECONNREFUSED',
    );
    expect(engineText(unreachable('mistral'), 'english')).toBe(
      'mistral (http://10.0.0.5:8000/v1) haipatikani: ECONNREFUSED',
    );
  });

  it('formats figures by their kind in the language: memory, context, counts with plurals', async () => {
    const gib = 1024 ** 3;
    const fit = engineMessage('fit.fullGpu', {
      needBytes: 5.4 * gib,
      vramBytes: 12 * gib,
      vramFreeBytes: 11.5 * gib,
      ctx: 4096,
    });
    expect(engineText(fit, 'x')).toBe('needs 5.4 GB of your 12 GB VRAM (11.5 GB free) at 4k context');
    await setLanguage('fr');
    expect(engineText(fit, 'x')).toBe('nécessite 5,4 GB sur vos 12 GB de VRAM (11,5 GB libres) avec un contexte de 4k');
    expect(engineText(engineMessage('health.ollamaRestarted', { count: 1 }), 'x')).toBe(
      'Redémarré 1 fois après un plantage.',
    );
    expect(engineText(engineMessage('health.ollamaRestarted', { count: 3 }), 'x')).toBe(
      'Redémarré 3 fois après des plantages.',
    );
    const store = (sessions: number, messages: number) =>
      engineTexts(
        [
          engineMessage('health.storeOk', { count: sessions }),
          engineMessage('health.storeMessages', { count: messages }),
        ],
        'x',
        ' ',
      );
    expect(store(1, 1)).toBe('Ouvert ; 1 conversation, 1 message.');
    // French "many" (1 000 000 and up) takes "de"; figures are grouped the French way.
    expect(store(1200, 1_000_000)).toBe(
      `Ouvert ; ${new Intl.NumberFormat('fr').format(1200)} conversations, ${new Intl.NumberFormat('fr').format(1_000_000)} de messages.`,
    );
    await setLanguage('en');
    expect(store(1, 2)).toBe('Open; 1 conversation, 2 messages.');
  });

  it("falls back to the engine's English for no id, an unknown id or parameters that do not match, never a blank", async () => {
    await setLanguage('fr');
    expect(engineText(undefined, 'Ollama is down.')).toBe('Ollama is down.');
    expect(engineText({ id: 'error.fromANewerEngine', params: {} }, 'Newer words.')).toBe('Newer words.');
    expect(engineText({ id: 'error.ollamaUnavailable', params: {} }, 'No host.')).toBe('No host.');
    expect(engineText({ id: 'error.ollamaUnavailable', params: { host: 42 } }, 'Wrong kind.')).toBe('Wrong kind.');
    expect(engineText('error.ollamaUnavailable', 'Not an object.')).toBe('Not an object.');
    // One part the UI cannot word: the whole reason in English rather than a hole.
    expect(engineTexts([unavailable, { id: 'nope', params: {} }], 'All English.', ' ')).toBe('All English.');
    expect(engineTexts([], 'Nothing sent.', ' ')).toBe('Nothing sent.');
  });

  it("takes exactly the shapes the engine's ENGINE_TEXT_DTO takes (the UI checks by hand, without zod)", () => {
    const host = 'http://h';
    const shapes: unknown[] = [
      { id: 'error.ollamaUnavailable', params: { host } },
      { id: 'error.ollamaUnavailable', params: { host }, extra: true },
      { id: 'error.ollamaUnavailable', params: { host, other: 3 } },
      { id: 'error.ollamaUnavailable', params: { host, other: Number.POSITIVE_INFINITY } },
      { id: 'error.ollamaUnavailable', params: { host, other: Number.NaN } },
      { id: 'error.ollamaUnavailable', params: { host, other: null } },
      { id: 'error.ollamaUnavailable', params: { host, other: true } },
      { id: 'error.ollamaUnavailable', params: [host] },
      { id: 'error.ollamaUnavailable', params: null },
      { id: 'error.ollamaUnavailable' },
      { id: 42, params: { host } },
      { id: '', params: {} },
      { id: 'x'.repeat(101), params: {} },
      null,
      [],
      'error.ollamaUnavailable',
    ];
    for (const shape of shapes) {
      const worded = engineText(shape, 'ENGLISH') !== 'ENGLISH';
      expect(worded, JSON.stringify(shape)).toBe(ENGINE_TEXT_DTO().safeParse(shape).success);
    }
  });

  it('joins a fit reason with "; " and a health reason with a space', async () => {
    await setLanguage('sw');
    const reason = fitReasonText({
      reason: 'english',
      reasonText: [
        engineMessage('fit.cpuNoGpu', { needBytes: 2 * 1024 ** 3, ramFreeBytes: 8 * 1024 ** 3, ctx: 2048 }),
        engineMessage('fit.noTools', {}),
      ],
    });
    expect(reason).toBe(
      'hakuna GPU ambayo Ollama inaweza kutumia: inaendeshwa na CPU, inahitaji 2 GB kati ya RAM iliyo wazi ya 8 GB, kwa muktadha wa 2k; haiwezi kuita zana: inajibu bila data ya moja kwa moja',
    );
    const health = healthReasonText({
      reason: 'english',
      reasonText: [engineMessage('health.sourcesNone', {}), engineMessage('health.sourcesNoKey', { names: 'WAQI' })],
    });
    expect(health).toBe(
      'Hakuna chanzo cha data kilichowekwa; majibu yanatoka kwenye hifadhi ya muda pekee. Hakuna ufunguo wa API kwa WAQI.',
    );
    expect(fitReasonText({ reason: 'only English', reasonText: undefined })).toBe('only English');
  });

  it('words a failed call from its message id (BridgeError, and the Electron preload shape)', async () => {
    await setLanguage('fr');
    const err = new BridgeError('model_not_found', 'The model "x" is not installed.', undefined, {
      id: 'error.modelNotInstalled',
      params: { model: 'llama3.2:1b' },
    });
    expect(engineErrorText(err)).toBe(
      "Le modèle « llama3.2:1b » n'est pas installé dans Ollama. Téléchargez-le depuis la page Modèles.",
    );
    expect(engineErrorText(new Error('plain English'))).toBe('plain English');
    expect(engineErrorText('a string')).toBe('a string');
  });
});
