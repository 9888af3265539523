import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildLegacyDb } from '../../test/helpers/legacy-db';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { findLegacyDatabase, legacyCandidates } from './legacy-locations';

describe("finding the original server's database", () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let cwd: string;
  let home: string;
  beforeEach(() => {
    tmp = makeTempDir();
    cwd = path.join(tmp.dir, 'run');
    home = path.join(tmp.dir, 'home');
    fs.mkdirSync(path.join(cwd, 'data'), { recursive: true });
    fs.mkdirSync(home);
  });
  afterEach(() => tmp.cleanup());

  it('reads DATABASE_URL as SQLAlchemy does: three slashes relative to the cwd, four absolute, others not files', () => {
    const places = (url: string) => legacyCandidates({ env: { DATABASE_URL: url }, cwd, home })[0];
    expect(places('sqlite:///./data/old.db')).toBe(path.join(cwd, 'data', 'old.db'));
    expect(places('sqlite:////srv/aq/aeris_agent.db?timeout=5')).toBe('/srv/aq/aeris_agent.db');
    expect(places('sqlite+pysqlite:////srv/aq/x.db')).toBe('/srv/aq/x.db');
    expect(places('postgresql://u:p@db/aeris')).toBe(path.join(cwd, 'data', 'aeris_agent.db'));
    expect(places('sqlite://')).toBe(path.join(cwd, 'data', 'aeris_agent.db'));
    expect(legacyCandidates({ env: {}, cwd, home })).toEqual([
      path.join(cwd, 'data', 'aeris_agent.db'),
      path.join(cwd, 'aeris_agent.db'),
      path.join(home, 'AirQualityAgent', 'data', 'aeris_agent.db'),
    ]);
  });

  it('finds the database under the cwd, with its counts, and nothing when there is none', () => {
    expect(findLegacyDatabase({ env: {}, cwd, home })).toBeNull();
    const file = path.join(cwd, 'data', 'aeris_agent.db');
    buildLegacyDb(file);
    expect(findLegacyDatabase({ env: {}, cwd, home })).toEqual({ path: file, sessions: 2, messages: 8 });
  });

  it('DATABASE_URL comes first; the home folder is the last place looked', () => {
    const inHome = path.join(home, 'AirQualityAgent', 'data', 'aeris_agent.db');
    fs.mkdirSync(path.dirname(inHome), { recursive: true });
    buildLegacyDb(inHome);
    expect(findLegacyDatabase({ env: {}, cwd, home })?.path).toBe(inHome);
    const named = path.join(tmp.dir, 'elsewhere.db');
    buildLegacyDb(named);
    expect(findLegacyDatabase({ env: { DATABASE_URL: `sqlite:///${named}` }, cwd, home })?.path).toBe(named);
  });

  it('passes over a file of other bytes, a directory, another SQLite database and an empty one, never throwing', () => {
    fs.writeFileSync(path.join(cwd, 'aeris_agent.db'), 'notes, not a database');
    fs.mkdirSync(path.join(cwd, 'data', 'aeris_agent.db'));
    const other = path.join(tmp.dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE notes (id INTEGER)');
    db.close();
    const empty = path.join(home, 'AirQualityAgent', 'data', 'aeris_agent.db');
    fs.mkdirSync(path.dirname(empty), { recursive: true });
    buildLegacyDb(empty);
    const e = new Database(empty);
    e.exec('DELETE FROM chat_messages; DELETE FROM chat_sessions;');
    e.close();
    expect(findLegacyDatabase({ env: { DATABASE_URL: `sqlite:///${other}` }, cwd, home })).toBeNull();
    // The files looked at are unchanged: they were opened read-only.
    expect(fs.readFileSync(path.join(cwd, 'aeris_agent.db'), 'utf8')).toBe('notes, not a database');
  });
});
