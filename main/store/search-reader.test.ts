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

  it('finds what the store search finds: same hits, order, snippets (its ranking is search-rank.ts in JS)', async () => {
    fill(store, ['harmattan dust', 'smoke', 'harmattan haze', 'dusty roads', 'ozone']);
    const other = store.sessions.create({ title: 'Ouagadougou' }).id;
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    for (const content of [
      `${long} harmattan dust at the café, then ${long} dust again`,
      'Ça va : la poussière du Harmattan, café noir',
      'dust dust dust harmattan',
    ]) {
      store.messages.insert({ sessionId: other, role: 'assistant', content });
    }
    for (const q of ['harmattan', 'dus', 'nakawa today', 'nothing-like-this', 'cafe', 'dust harm', 'poussi', 'ÇA VA']) {
      for (const limit of [1, 3, 30]) {
        expect(await store.messages.searchVia(reader, q, limit)).toEqual(store.messages.search(q, limit));
      }
    }
    expect((await store.messages.searchVia(reader, 'cafe')).map((h) => [h.sessionTitle, h.snippet])).toEqual([
      ['Ouagadougou', 'Ça va : la poussière du Harmattan, [[café]] noir'],
      ['Ouagadougou', '…dust at the [[café]], then word0 word1 word2 word3 word4 word5 word6…'],
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

  it('reads the new file after the store file is replaced (as a restore does), its connection still open', async () => {
    fill(store, ['smoke']);
    expect(await store.messages.searchVia(reader, 'smoke')).toHaveLength(1);
    store.close();
    const other = path.join(tmp.dir, 'other.db');
    const next = openStore(other, clock);
    fill(next, ['wildfire']);
    next.close();
    // As BackupRestorer does: the store and its WAL files are moved aside, the restored file renamed in.
    for (const suffix of ['', '-wal', '-shm']) {
      if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, `${file}.aside${suffix}`);
    }
    fs.renameSync(other, file);
    store = openStore(file, clock);
    expect(await store.messages.searchVia(reader, 'smoke')).toEqual([]);
    expect(await store.messages.searchVia(reader, 'wildfire')).toHaveLength(1);
    // The set aside store's WAL was left as it was (a read-only connection never removes one).
    expect(fs.existsSync(`${file}.aside-wal`)).toBe(true);
  });

  it('close() closes the connection first: the store closing after it removes its WAL', async () => {
    fill(store, ['smoke']);
    expect(await store.messages.searchVia(reader, 'smoke')).toHaveLength(1);
    await reader.close();
    store.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
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
    await expect(reader.search('"unclosed', 'unclosed', 10, 10)).rejects.toThrow(/fts5|syntax|unterminated/i);
    expect(await store.messages.searchVia(reader, 'smoke')).toHaveLength(1);
  });
});
