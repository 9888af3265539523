import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/doubles/manual-clock';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { Conversations } from '../chat/conversations';
import { SearchReader, SearchReaderUnavailable } from './search-reader';
import { openStore, type Store } from './store';

describe('message search on its own thread', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let file: string;
  let reader: SearchReader;
  const clock = new ManualClock();

  const fill = (s: Store, words: string[]) => {
    const session = s.sessions.create({ title: 'Kampala air' });
    for (const w of words)
      s.messages.insert({ sessionId: session.id, role: 'user', content: `${w} near Nakawa today` });
    return session.id;
  };

  beforeEach(() => {
    tmp = makeTempDir();
    file = path.join(tmp.dir, 'aeris_agent.db');
    store = openStore(file, clock);
    reader = new SearchReader(file);
  });
  afterEach(async () => {
    await reader.close();
    if (store.db.open) store.close();
    tmp.cleanup();
  });

  it('finds what the store search finds, ranked and cut the same way', async () => {
    fill(store, ['harmattan dust', 'smoke', 'harmattan haze', 'dusty roads', 'ozone']);
    for (const q of ['harmattan', 'dus', 'nakawa today', 'nothing-like-this']) {
      expect(await store.messages.searchVia(reader, q, 3)).toEqual(store.messages.search(q, 3));
    }
    expect((await store.messages.searchVia(reader, 'harmattan')).map((h) => h.sessionTitle)).toEqual([
      'Kampala air',
      'Kampala air',
    ]);
    // Below the minimum nothing is asked of the thread.
    expect(await store.messages.searchVia(reader, 'ha')).toEqual([]);
  });

  it('sees messages written after its connection opened', async () => {
    fill(store, ['smoke']);
    expect(await store.messages.searchVia(reader, 'sandstorm')).toEqual([]);
    fill(store, ['sandstorm']);
    expect((await store.messages.searchVia(reader, 'sandstorm')).map((h) => h.snippet)).toEqual([
      '[[sandstorm]] near Nakawa today',
    ]);
  });

  it('reads the new file after the store file is replaced (as a restore does)', async () => {
    fill(store, ['smoke']);
    expect(await store.messages.searchVia(reader, 'smoke')).toHaveLength(1);
    store.close();
    const other = path.join(tmp.dir, 'other.db');
    const next = openStore(other, clock);
    fill(next, ['wildfire']);
    next.close();
    for (const suffix of ['-wal', '-shm']) expect(fs.existsSync(file + suffix)).toBe(false);
    fs.renameSync(other, file);
    store = openStore(file, clock);
    expect(await store.messages.searchVia(reader, 'smoke')).toEqual([]);
    expect(await store.messages.searchVia(reader, 'wildfire')).toHaveLength(1);
  });

  it('a thread that cannot load the driver says so once, and conversations search here instead', async () => {
    fill(store, ['harmattan']);
    const broken = new SearchReader(file, path.join(tmp.dir, 'no-such-driver.js'));
    try {
      await expect(store.messages.searchVia(broken, 'harmattan')).rejects.toBeInstanceOf(SearchReaderUnavailable);
      await expect(store.messages.searchVia(broken, 'harmattan')).rejects.toBeInstanceOf(SearchReaderUnavailable);
      const conversations = new Conversations(store, () => false, broken);
      expect(await conversations.searchOffThread('harmattan')).toEqual(store.messages.search('harmattan'));
    } finally {
      await broken.close();
    }
  });

  it('a query the store refuses rejects with its error, and the thread goes on answering', async () => {
    fill(store, ['smoke']);
    await expect(reader.window('"unclosed', 10)).rejects.toThrow(/fts5|syntax|unterminated/i);
    expect(await store.messages.searchVia(reader, 'smoke')).toHaveLength(1);
  });
});
