import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { createStoreFile } from './create-store-file';
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
