import Database from 'better-sqlite3';

/** The original server's tables exactly as SQLAlchemy's create_all writes them for its models on SQLite. */
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

export const LEGACY_S1 = '3f2b8c1e-6a0d-4f5e-9b7a-2c4d6e8f0a1b';
export const LEGACY_S2 = 'b7e1d2c3-1111-4222-8333-944455556666';

/**
 * An original server database: two sessions (DATETIME text with and without microseconds), message ids out of
 * time order, a `tool` row this app does not import, and an orphan message.
 */
export function buildLegacyDb(file: string): void {
  const db = new Database(file);
  // Python's sqlite3 does not enforce foreign keys, so the original's files can hold orphan messages.
  db.pragma('foreign_keys = OFF');
  db.exec(LEGACY_SCHEMA);
  const s = db.prepare('INSERT INTO chat_sessions (id, created_at, updated_at) VALUES (?, ?, ?)');
  s.run(LEGACY_S1, '2025-11-02 08:15:30.123456', '2025-11-02 08:17:05.000001');
  s.run(LEGACY_S2, '2025-12-24 19:00:00', '2025-12-24 19:00:09.5');
  const m = db.prepare('INSERT INTO chat_messages (id, session_id, role, content, timestamp) VALUES (?, ?, ?, ?, ?)');
  m.run(
    4,
    LEGACY_S1,
    'assistant',
    'Kampala PM2.5 is 41 µg/m³ (unhealthy for sensitive groups).',
    '2025-11-02 08:15:31.900000',
  );
  m.run(3, LEGACY_S1, 'user', 'Air quality in Kampala?', '2025-11-02 08:15:30.200000');
  m.run(5, LEGACY_S1, 'user', 'And tomorrow?', '2025-11-02 08:17:00.000000');
  m.run(6, LEGACY_S1, 'assistant', 'Tomorrow looks similar.', '2025-11-02 08:17:05.000001');
  m.run(7, LEGACY_S2, 'user', 'Is it safe to run outside in Nairobi?', '2025-12-24 19:00:00.100000');
  m.run(8, LEGACY_S2, 'assistant', 'Yes, AQI 42 is good.', '2025-12-24 19:00:09.500000');
  m.run(9, LEGACY_S2, 'tool', '{"raw": true}', '2025-12-24 19:00:05');
  m.run(10, 'gone-session', 'user', 'orphan', '2025-12-25 10:00:00');
  db.close();
}
