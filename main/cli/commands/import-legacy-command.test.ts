import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock';
import { dataPaths } from '../../core/paths';
import { openStore } from '../../store/store';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { runCli } from '../run-cli';
import { buildLegacyDb, LEGACY_S1 as S1, LEGACY_S2 as S2 } from '../../../test/helpers/legacy-db';

describe('aeris import-legacy', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  const cli = async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli([...args, '--data-dir', path.join(tmp.dir, 'data')], {
      io: { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false },
      env: {},
      rendererDir: tmp.dir,
    });
    return { code, stdout, stderr };
  };

  it('imports sessions with their ids and times, messages in order; a second run adds nothing', async () => {
    const legacy = path.join(tmp.dir, 'aeris_agent.db');
    buildLegacyDb(legacy);
    const first = await cli('import-legacy', legacy, '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ sessions: 2, messages: 6, skipped: 2 });
    const second = await cli('import-legacy', legacy, '--json');
    expect(JSON.parse(second.stdout)).toEqual({ sessions: 0, messages: 0, skipped: 10 });
    const text = await cli('import-legacy', legacy);
    expect(text.stdout).toMatch(/sessions +0\n {2}messages +0\n {2}skipped +10/);

    const store = openStore(dataPaths(path.join(tmp.dir, 'data')).dbFile, systemClock);
    try {
      const s1 = store.sessions.get(S1)!;
      expect(s1).toMatchObject({
        title: 'Air quality in Kampala?',
        createdAt: Date.UTC(2025, 10, 2, 8, 15, 30, 123),
        updatedAt: Date.UTC(2025, 10, 2, 8, 17, 5, 0),
        messageCount: 4,
      });
      const msgs = store.messages.list(S1, 100, 0);
      expect(msgs.map((m) => [m.role, m.content.slice(0, 20)])).toEqual([
        ['user', 'Air quality in Kampal'.slice(0, 20)],
        ['assistant', 'Kampala PM2.5 is 41 '],
        ['user', 'And tomorrow?'],
        ['assistant', 'Tomorrow looks simila'.slice(0, 20)],
      ]);
      expect(msgs[0]!.createdAt).toBe(Date.UTC(2025, 10, 2, 8, 15, 30, 200));
      expect(store.messages.count(S2)).toBe(2);
      // Imported history is searchable at once.
      expect(store.messages.search('Nairobi').map((h) => h.sessionId)).toEqual([S2]);
    } finally {
      store.close();
    }
  });

  it('refuses a database that is not the original server’s', async () => {
    const other = path.join(tmp.dir, 'other.db');
    new Database(other).exec('CREATE TABLE t (x)').close();
    const r = await cli('import-legacy', other);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no chat_sessions and chat_messages tables/);
    expect((await cli('import-legacy')).code).toBe(2);
  });
});
