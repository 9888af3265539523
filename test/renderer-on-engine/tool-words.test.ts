import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/locales/en.json';
import fr from '../../renderer/src/i18n/locales/fr.json';
import sw from '../../renderer/src/i18n/locales/sw.json';
import { TOOLS_IN_WORDS } from '../../renderer/src/features/chat/tool-words';
import { engineFixture, type EngineFixture } from '../helpers/engine-fixture';

/**
 * The chat says each tool call in plain words (tool-words.ts, locale keys chat.tools.<name>); a tool the engine
 * gains without them shows as its bare name, and words for a tool the engine lost are dead text. The engine's
 * list is the real engine's registry, with every optional service (imported data, documents, the web) present.
 */
const LOCALES = { en, fr, sw };
/** chat.tools holds the words "cache" (a source) beside the tools' entries. */
const NOT_A_TOOL = new Set(['cache']);

describe("the chat's plain words for the agent's tools", () => {
  let f: EngineFixture;
  let offered: string[];
  beforeAll(async () => {
    f = await engineFixture();
    offered = f.engine.tools.names().sort();
  });
  afterAll(async () => {
    await f.close();
  });

  it('has words for every tool the engine can offer, and for no other', () => {
    expect(offered.length).toBeGreaterThan(20);
    const inWords = [...TOOLS_IN_WORDS].sort();
    expect({
      withoutWords: offered.filter((name) => !TOOLS_IN_WORDS.has(name)),
      stale: inWords.filter((name) => !offered.includes(name)),
    }).toEqual({ withoutWords: [], stale: [] });
  });

  it.each(Object.entries(LOCALES))('has the running and done words of each of those tools in %s', (_, locale) => {
    const tools: Record<string, unknown> = locale.chat.tools;
    const missing = [...TOOLS_IN_WORDS].filter((name) => {
      const words = tools[name];
      return !(typeof words === 'object' && words !== null && 'running' in words && 'done' in words);
    });
    const stale = Object.keys(tools).filter((key) => !NOT_A_TOOL.has(key) && !TOOLS_IN_WORDS.has(key));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });
});
