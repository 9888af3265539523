import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { buildEmptyStore, createStoreFile } from './create-store-file';
import { openDatabase } from './database';
import { migrate, SCHEMA_VERSION } from './migrations';

const CHILD = path.join(__dirname, 'test-support', 'create-store-child.ts');

/** Every table, index and trigger, as SQLite stores their definitions. */
function schemaOf(db: Database.Database): string[] {
  return (db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all() as object[]).map((r) =>
    JSON.stringify(r),
  );
}

describe('createStoreFile', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let file: string;

  beforeEach(() => {
    tmp = makeTempDir();
    file = path.join(tmp.dir, 'aeris_agent.db');
  });
  afterEach(() => tmp.cleanup());

  it('makes the same schema as migrating in place, at the latest version, in WAL, with nothing left beside it', () => {
    createStoreFile(file);
    expect(fs.readdirSync(tmp.dir)).toEqual(['aeris_agent.db']);
    const made = new Database(file, { readonly: true });
    const inPlace = new Database(':memory:');
    try {
      migrate(inPlace);
      expect(made.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(made.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(schemaOf(made)).toEqual(schemaOf(inPlace));
      expect(made.pragma('quick_check', { simple: true })).toBe('ok');
    } finally {
      made.close();
      inPlace.close();
    }
  });

  describe('from the store template `npm run build` writes', () => {
    const storeOf = (f: string) => {
      const db = new Database(f, { readonly: true });
      try {
        return {
          version: db.pragma('user_version', { simple: true }),
          journal: db.pragma('journal_mode', { simple: true }),
          schema: schemaOf(db),
          check: db.pragma('quick_check', { simple: true }),
        };
      } finally {
        db.close();
      }
    };

    it('copies a template of this schema version: the same store as one built here, left beside nothing', () => {
      const template = path.join(tmp.dir, 'template', 'store-template.db');
      fs.mkdirSync(path.dirname(template));
      buildEmptyStore(template);
      // Marked, to tell a copy from a store built afresh (a table the migrations never make).
      const t = new Database(template);
      t.exec('CREATE TABLE from_template (x)');
      t.close();
      createStoreFile(file, template);
      expect(fs.readdirSync(tmp.dir).sort()).toEqual(['aeris_agent.db', 'template']);
      const made = storeOf(file);
      expect(made.schema.some((r) => r.includes('from_template'))).toBe(true);
      expect(made).toMatchObject({ version: SCHEMA_VERSION, journal: 'wal', check: 'ok' });
    });

    it('builds the store instead when the template is of another schema version, not SQLite, or missing', () => {
      const built = path.join(tmp.dir, 'built.db');
      createStoreFile(built, path.join(tmp.dir, 'none.db'));
      const older = path.join(tmp.dir, 'older.db');
      buildEmptyStore(older);
      const o = new Database(older);
      o.exec('CREATE TABLE from_template (x)');
      o.pragma(`user_version = ${SCHEMA_VERSION - 1}`);
      o.close();
      const junk = path.join(tmp.dir, 'junk.db');
      fs.writeFileSync(junk, Buffer.alloc(4096, 7));
      for (const [name, template] of [
        ['a.db', older],
        ['b.db', junk],
      ] as const) {
        const f = path.join(tmp.dir, name);
        createStoreFile(f, template);
        expect(storeOf(f)).toEqual(storeOf(built));
      }
    });
  });

  it('leaves an existing store exactly as it is', () => {
    const db = openDatabase(file);
    db.exec("INSERT INTO sessions (id, title, created_at, updated_at) VALUES ('s1', 'kept', 1, 1)");
    db.close();
    const before = fs.readFileSync(file);
    createStoreFile(file);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('a scratch file left by a crash is replaced, never taken for the store', () => {
    fs.writeFileSync(`${file}.new-${process.pid}`, 'half a schema from a killed process');
    const db = openDatabase(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    expect(fs.readdirSync(tmp.dir).filter((f) => f.includes('.new-'))).toEqual([]);
  });

  it('processes that make the same new store at once all end up writing to the one file', async () => {
    const children = Array.from(
      { length: 4 },
      () =>
        new Promise<number>((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file], {
            cwd: path.resolve(__dirname, '../..'),
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr.on('data', (d: Buffer) => (out += d.toString()));
          child.once('error', reject);
          child.once('exit', (code) => (code === 0 ? resolve(child.pid!) : reject(new Error(out))));
        }),
    );
    const pids = await Promise.all(children);
    const db = new Database(file, { readonly: true });
    try {
      const rows = db.prepare('SELECT pid FROM opened_by ORDER BY pid').all() as Array<{ pid: number }>;
      expect(rows.map((r) => r.pid)).toEqual([...pids].sort((a, b) => a - b));
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    } finally {
      db.close();
    }
  }, 60_000);
});
