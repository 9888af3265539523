import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock';
import { dataPaths } from '../../core/paths';
import { openStore } from '../../store/store';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { runCli } from '../run-cli';

/** The original's tables exactly as SQLAlchemy's create_all writes them for its models on SQLite. */
const LEGACY_SCHEMA = `
CREATE TABLE chat_sessions (
	id VARCHAR NOT NULL,
	created_at DATETIME,
	updated_at DATETIME,
	PRIMARY KEY (id)
);
CREATE INDEX ix_chat_sessions_id ON chat_sessions (id);
CREATE TABLE chat_messages (
	id INTEGER NOT NULL,
	session_id VARCHAR,
	role VARCHAR,
	content TEXT,
	timestamp DATETIME,
	PRIMARY KEY (id),
	FOREIGN KEY(session_id) REFERENCES chat_sessions (id)
);
CREATE INDEX ix_chat_messages_id ON chat_messages (id);
`;

const S1 = '3f2b8c1e-6a0d-4f5e-9b7a-2c4d6e8f0a1b';
const S2 = 'b7e1d2c3-1111-4222-8333-944455556666';

function buildLegacyDb(file: string): void {
  const db = new Database(file);
  // Python's sqlite3 does not enforce foreign keys, so the original's files can hold orphan messages.
  db.pragma('foreign_keys = OFF');
  db.exec(LEGACY_SCHEMA);
  const s = db.prepare('INSERT INTO chat_sessions (id, created_at, updated_at) VALUES (?, ?, ?)');
  s.run(S1, '2025-11-02 08:15:30.123456', '2025-11-02 08:17:05.000001');
  s.run(S2, '2025-12-24 19:00:00', '2025-12-24 19:00:09.5');
  const m = db.prepare('INSERT INTO chat_messages (id, session_id, role, content, timestamp) VALUES (?, ?, ?, ?, ?)');
  // Ids out of time order on purpose: order is by timestamp, as the original reads its history.
  m.run(
    4,
    S1,
    'assistant',
    'Kampala PM2.5 is 41 µg/m³ (unhealthy for sensitive groups).',
    '2025-11-02 08:15:31.900000',
  );
  m.run(3, S1, 'user', 'Air quality in Kampala?', '2025-11-02 08:15:30.200000');
  m.run(5, S1, 'user', 'And tomorrow?', '2025-11-02 08:17:00.000000');
  m.run(6, S1, 'assistant', 'Tomorrow looks similar.', '2025-11-02 08:17:05.000001');
  m.run(7, S2, 'user', 'Is it safe to run outside in Nairobi?', '2025-12-24 19:00:00.100000');
  m.run(8, S2, 'assistant', 'Yes, AQI 42 is good.', '2025-12-24 19:00:09.500000');
  m.run(9, S2, 'tool', '{"raw": true}', '2025-12-24 19:00:05');
  m.run(10, 'gone-session', 'user', 'orphan', '2025-12-25 10:00:00');
  db.close();
}

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
