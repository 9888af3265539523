import type Database from 'better-sqlite3';

/**
 * Versioned schema. Each entry moves `PRAGMA user_version` from its index to index + 1.
 * Never edit a released migration: append a new one.
 */
export const MIGRATIONS: ReadonlyArray<(db: Database.Database) => void> = [
  // 1: sessions, messages and full-text search.
  (db) => {
    db.exec(`
      CREATE TABLE sessions (
        id          TEXT PRIMARY KEY,
        title       TEXT NOT NULL DEFAULT '',
        model       TEXT,
        style       TEXT NOT NULL DEFAULT 'general',
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      );
      CREATE INDEX idx_sessions_created ON sessions(created_at);
      CREATE INDEX idx_sessions_updated ON sessions(updated_at);

      CREATE TABLE messages (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id   TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        role         TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'system', 'tool')),
        content      TEXT NOT NULL DEFAULT '',
        status       TEXT NOT NULL DEFAULT 'complete'
                     CHECK (status IN ('streaming', 'complete', 'stopped', 'interrupted', 'error')),
        model        TEXT,
        error        TEXT,
        tools_used   TEXT NOT NULL DEFAULT '[]',
        tokens       INTEGER NOT NULL DEFAULT 0,
        owner_pid    INTEGER,
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL
      );
      CREATE INDEX idx_messages_session ON messages(session_id, created_at);
      CREATE INDEX idx_messages_streaming ON messages(status) WHERE status = 'streaming';

      -- External-content FTS: rows are indexed when their text is final (see MessagesRepository),
      -- so a streaming reply does not rewrite the index on every token, and inserts stay cheap.
      CREATE VIRTUAL TABLE messages_fts USING fts5(
        content, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
      );
      CREATE TABLE messages_fts_indexed (id INTEGER PRIMARY KEY);
      -- Final messages are indexed in batches: every id up to indexed_through has been looked at.
      CREATE TABLE fts_state (id INTEGER PRIMARY KEY CHECK (id = 1), indexed_through INTEGER NOT NULL);
      INSERT INTO fts_state (id, indexed_through) VALUES (1, 0);
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
      WHEN EXISTS (SELECT 1 FROM messages_fts_indexed WHERE id = old.id)
      BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
        DELETE FROM messages_fts_indexed WHERE id = old.id;
      END;
    `);
  },
  // Air-quality cache: live readings and forecasts from the data sources, kept across restarts so the
  // app can answer offline from the newest reading it has (and say how old it is).
  (db) => {
    db.exec(`
      CREATE TABLE aq_cache (
        key          TEXT PRIMARY KEY,
        kind         TEXT NOT NULL,
        source       TEXT NOT NULL,
        payload      TEXT NOT NULL,
        observed_at  INTEGER,
        fetched_at   INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL
      );
      CREATE INDEX idx_aq_cache_fetched ON aq_cache(fetched_at);
    `);
  },
  // Tool activity per assistant reply (which tools ran, from which sources, how long, AQI and charts),
  // so a reloaded conversation shows the same chips, badges and charts it showed live.
  (db) => {
    db.exec(`
      CREATE TABLE message_tools (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        message_id   INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        seq          INTEGER NOT NULL,
        name         TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('running', 'done', 'error')),
        duration_ms  INTEGER,
        detail       TEXT NOT NULL DEFAULT '{}',
        created_at   INTEGER NOT NULL
      );
      CREATE INDEX idx_message_tools_message ON message_tools(message_id, seq);
    `);
  },
  // Imported sensor files (PurpleAir SD card, AirQo exports, generic CSV). A reading is unique per
  // site + time + source, so importing a file again, or an overlapping one, adds nothing twice.
  (db) => {
    db.exec(`
      CREATE TABLE import_files (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        name           TEXT NOT NULL,
        sha256         TEXT NOT NULL,
        format         TEXT NOT NULL,
        size_bytes     INTEGER NOT NULL,
        rows_read      INTEGER NOT NULL DEFAULT 0,
        rows_imported  INTEGER NOT NULL DEFAULT 0,
        duplicates     INTEGER NOT NULL DEFAULT 0,
        error_count    INTEGER NOT NULL DEFAULT 0,
        flagged        INTEGER NOT NULL DEFAULT 0,
        status         TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
        imported_at    INTEGER NOT NULL
      );
      CREATE INDEX idx_import_files_sha ON import_files(sha256);
      CREATE TABLE import_sites (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        name       TEXT NOT NULL UNIQUE,
        latitude   REAL,
        longitude  REAL
      );
      -- WITHOUT ROWID: the key is the clustering order, so a site's time range is one contiguous read.
      -- No foreign key on site_id: a million-row import pays for each check, and deletes are explicit.
      CREATE TABLE import_readings (
        site_id      INTEGER NOT NULL,
        time         INTEGER NOT NULL,
        source       TEXT NOT NULL,
        file_id      INTEGER NOT NULL,
        pm25         REAL,
        pm10         REAL,
        pm25_a       REAL,
        pm25_b       REAL,
        flag         TEXT,
        pm25_epa     REAL,
        humidity     REAL,
        temperature  REAL,
        PRIMARY KEY (site_id, time, source)
      ) WITHOUT ROWID;
    `);
  },
  // Metrics in hourly buckets (requests, tool calls, replies, conversation lengths) for the dashboard's
  // 24-hour and 30-day charts; see main/ops/metrics/metrics-store.ts.
  (db) => {
    db.exec(`
      CREATE TABLE metrics_hourly (
        hour_start  INTEGER NOT NULL,
        series      TEXT NOT NULL,
        label       TEXT NOT NULL,
        count       INTEGER NOT NULL,
        errors      INTEGER NOT NULL,
        sum_ms      REAL NOT NULL,
        extra       REAL NOT NULL,
        min_ms      REAL,
        max_ms      REAL NOT NULL,
        hist        TEXT NOT NULL,
        PRIMARY KEY (hour_start, series, label)
      ) WITHOUT ROWID;
    `);
  },
  // Who is writing a streaming reply, beyond its PID (PIDs are reused): `host|pid|start`, see
  // main/core/process-identity.ts. A row whose owner's PID now belongs to another process is recovered.
  (db) => {
    db.exec(`ALTER TABLE messages ADD COLUMN owner_instance TEXT;`);
  },
  // 7: documents attached in the chat (per conversation, or shared when session_id is NULL), their text in
  // chunks with page numbers, an FTS5 index over the chunks (BM25), and each chunk's embedding as a BLOB
  // of little-endian float32 (exact cosine search; see main/documents/). Deleting a document removes its
  // chunks, their index entries and vectors.
  (db) => {
    db.exec(`
      CREATE TABLE documents (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id   TEXT REFERENCES sessions(id) ON DELETE CASCADE,
        name         TEXT NOT NULL,
        kind         TEXT NOT NULL,
        size_bytes   INTEGER NOT NULL,
        sha256       TEXT NOT NULL,
        pages        INTEGER,
        chunks       INTEGER NOT NULL DEFAULT 0,
        embed_model  TEXT,
        embed_dims   INTEGER,
        created_at   INTEGER NOT NULL
      );
      CREATE INDEX idx_documents_session ON documents(session_id);

      CREATE TABLE document_chunks (
        id       INTEGER PRIMARY KEY AUTOINCREMENT,
        doc_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        seq      INTEGER NOT NULL,
        page     INTEGER,
        label    TEXT,
        text     TEXT NOT NULL,
        vector   BLOB
      );
      CREATE INDEX idx_document_chunks_doc ON document_chunks(doc_id, seq);

      CREATE VIRTUAL TABLE document_chunks_fts USING fts5(
        text, content='document_chunks', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER document_chunks_ai AFTER INSERT ON document_chunks BEGIN
        INSERT INTO document_chunks_fts(rowid, text) VALUES (new.id, new.text);
      END;
      CREATE TRIGGER document_chunks_ad AFTER DELETE ON document_chunks BEGIN
        INSERT INTO document_chunks_fts(document_chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
      END;
    `);
  },
  // 8: imported readings know what they stand for and where they came from: `period` (a sample, an hour's
  // mean or a day's mean), the `device` that measured them, and whether each PM value was calibrated.
  // The key is site + period + time + device, not the importing format: the same reading imported twice
  // (or with another --format) is one row; see main/imports/overlap.ts for which value wins.
  // Existing rows were all read as samples; where two formats held the same site and time, the newest import's
  // row is kept.
  (db) => {
    db.exec(`
      CREATE TABLE import_readings_new (
        site_id          INTEGER NOT NULL,
        period           TEXT NOT NULL CHECK (period IN ('raw', 'hourly', 'daily')),
        time             INTEGER NOT NULL,
        device           TEXT NOT NULL DEFAULT '',
        source           TEXT NOT NULL,
        file_id          INTEGER NOT NULL,
        pm25             REAL,
        pm25_calibrated  INTEGER NOT NULL DEFAULT 0,
        pm10             REAL,
        pm10_calibrated  INTEGER NOT NULL DEFAULT 0,
        pm25_a           REAL,
        pm25_b           REAL,
        flag             TEXT,
        pm25_epa         REAL,
        humidity         REAL,
        temperature      REAL,
        PRIMARY KEY (site_id, period, time, device)
      ) WITHOUT ROWID;
      INSERT OR IGNORE INTO import_readings_new
        (site_id, period, time, device, source, file_id, pm25, pm10, pm25_a, pm25_b, flag, pm25_epa, humidity, temperature)
        SELECT site_id, 'raw', time, '', source, file_id, pm25, pm10, pm25_a, pm25_b, flag, pm25_epa, humidity, temperature
        FROM import_readings ORDER BY file_id DESC;
      DROP TABLE import_readings;
      ALTER TABLE import_readings_new RENAME TO import_readings;
      CREATE INDEX idx_import_readings_file ON import_readings(file_id);
      ALTER TABLE import_files ADD COLUMN replaced INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE import_files ADD COLUMN time_zone TEXT;
    `);
  },
  // 9: streamed text lands in chunks (one short insert a flush, whatever the reply's length; folded into
  // the message when it ends), and row counts are kept by triggers so /health need not recount a million rows.
  (db) => {
    db.exec(`
      CREATE TABLE message_chunks (
        message_id  INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        seq         INTEGER NOT NULL,
        text        TEXT NOT NULL,
        PRIMARY KEY (message_id, seq)
      ) WITHOUT ROWID;
      CREATE TABLE row_counts (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO row_counts (name, n) VALUES
        ('messages', (SELECT COUNT(*) FROM messages)), ('sessions', (SELECT COUNT(*) FROM sessions));
      CREATE TRIGGER row_counts_messages_insert AFTER INSERT ON messages
      BEGIN UPDATE row_counts SET n = n + 1 WHERE name = 'messages'; END;
      CREATE TRIGGER row_counts_messages_delete AFTER DELETE ON messages
      BEGIN UPDATE row_counts SET n = n - 1 WHERE name = 'messages'; END;
      CREATE TRIGGER row_counts_sessions_insert AFTER INSERT ON sessions
      BEGIN UPDATE row_counts SET n = n + 1 WHERE name = 'sessions'; END;
      CREATE TRIGGER row_counts_sessions_delete AFTER DELETE ON sessions
      BEGIN UPDATE row_counts SET n = n - 1 WHERE name = 'sessions'; END;

      -- Prefix indexes for 3 and 4 letters: a search typed so far ("dus") reads one list instead of merging
      -- the lists of every word it starts (28 ms → 0.3 ms on 100,000 messages). Rebuilt once, here, from the
      -- rows already indexed (about 20 s a million messages).
      DROP TABLE messages_fts;
      CREATE VIRTUAL TABLE messages_fts USING fts5(
        content, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='3 4'
      );
      INSERT INTO messages_fts(rowid, content)
        SELECT m.id, m.content FROM messages m JOIN messages_fts_indexed i ON i.id = m.id;
    `);
  },
  // 10: who answers: a chat's provider (null = the default in Settings), and the provider that wrote each reply
  // (with `model`, which already exists), so a fallback stays visible afterwards; see main/providers/.
  (db) => {
    db.exec(`
      ALTER TABLE sessions ADD COLUMN provider TEXT;
      ALTER TABLE messages ADD COLUMN provider TEXT;
    `);
  },
  // 11: earlier answers to a question, kept when it is answered again (Regenerate), newest last; see
  // main/store/answer-versions-repository.ts. They go with their question.
  (db) => {
    db.exec(`
      CREATE TABLE answer_versions (
        id           INTEGER PRIMARY KEY,
        question_id  INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        content      TEXT NOT NULL,
        model        TEXT,
        tokens       INTEGER NOT NULL DEFAULT 0,
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL
      );
      CREATE INDEX idx_answer_versions_question ON answer_versions(question_id);
    `);
  },
  // 12: each answer's figures: time to first token (ms, from the request to the first content token) and true
  // generation speed (tokens/s, from the provider's own counts and clock); earlier answers keep theirs and the
  // provider that wrote them. Null where not measured (replies from before, or that never produced a token).
  (db) => {
    db.exec(`
      ALTER TABLE messages ADD COLUMN ttft_ms INTEGER;
      ALTER TABLE messages ADD COLUMN tokens_per_second REAL;
      ALTER TABLE answer_versions ADD COLUMN provider TEXT;
      ALTER TABLE answer_versions ADD COLUMN ttft_ms INTEGER;
      ALTER TABLE answer_versions ADD COLUMN tokens_per_second REAL;
    `);
  },
  // 13: a failed reply's error as a message id with parameters (JSON), so it shows in the UI's language after
  // a reload too (issue 15); `error` keeps the English. Null for replies from before and errors without an id.
  (db) => {
    db.exec(`ALTER TABLE messages ADD COLUMN error_text TEXT;`);
  },
  // 14: a chat's own settings (system prompt, temperature, context length) as JSON; null = the defaults.
  // See main/store/chat-settings-repository.ts.
  (db) => {
    db.exec(`ALTER TABLE sessions ADD COLUMN chat_settings TEXT;`);
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Database.Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `database schema version ${current} is newer than this app understands (${SCHEMA_VERSION}); update the app`,
    );
  }
  for (let v = current; v < SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v]!;
    db.transaction(() => {
      step(db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return SCHEMA_VERSION;
}
