import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { freeBytes, mountTmpfs } from '../../test/helpers/tmpfs';
import { DiskFullState, diskFullError, explainDiskFull, isDiskFull } from './disk-full';
import { AppError, HTTP_STATUS } from './errors';
import { ManualClock } from '../../test/doubles/manual-clock';

/** The error a real call throws (the tests below make each fault happen, then classify what came out). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('isDiskFull: one rule for "no space left"', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (tmp = makeTempDir()));
  afterEach(() => tmp.cleanup());

  it('is true for SQLite running out of pages (SQLITE_FULL), false for its other errors', () => {
    const db = new Database(path.join(tmp.dir, 'full.db'));
    try {
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
      // SQLite's own page cap fails exactly as a full disk does: SQLITE_FULL at the write that needs a page.
      db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
      const full = thrown(() => db.prepare('INSERT INTO t (v) VALUES (?)').run('x'.repeat(64 * 1024)));
      expect((full as { code: string }).code).toBe('SQLITE_FULL');
      expect(isDiskFull(full)).toBe(true);

      db.pragma('max_page_count = 100000');
      db.prepare('INSERT INTO t (id, v) VALUES (1, ?)').run('a');
      const dup = thrown(() => db.prepare('INSERT INTO t (id, v) VALUES (1, ?)').run('b'));
      expect((dup as { code: string }).code).toMatch(/^SQLITE_CONSTRAINT/);
      expect(isDiskFull(dup)).toBe(false);
    } finally {
      db.close();
    }
  });

  it('is false for a missing file, plain errors and I/O errors that are not about space', () => {
    expect(isDiskFull(thrown(() => fs.readFileSync(path.join(tmp.dir, 'nope'))))).toBe(false);
    expect(isDiskFull(new Error('boom'))).toBe(false);
    expect(isDiskFull(null)).toBe(false);
    expect(isDiskFull('ENOSPC')).toBe(false);
    // A failing disk is not a full one: SQLite reports lack of space as SQLITE_FULL, never as a plain write error.
    expect(isDiskFull(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' }))).toBe(false);
    // …except the WAL index, which says SHMSIZE when it cannot grow.
    expect(isDiskFull(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_SHMSIZE' }))).toBe(true);
  });

  it('follows a cause and knows its own error; becomes a 507 in words with the path', () => {
    const full = Object.assign(new Error('write failed'), { code: 'ENOSPC' });
    expect(isDiskFull(new Error('could not save', { cause: full }))).toBe(true);
    const err = explainDiskFull(full, '/data/aeris');
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'disk_full', details: { path: '/data/aeris' } });
    expect((err as AppError).message).toMatch(/^The disk is full: .*\/data\/aeris\. Free some space/);
    expect(HTTP_STATUS.disk_full).toBe(507);
    expect(isDiskFull(diskFullError())).toBe(true);
    const other = new Error('boom');
    expect(explainDiskFull(other)).toBe(other);
  });

  it('DiskFullState remembers a failed write until one succeeds', () => {
    const clock = new ManualClock();
    const state = new DiskFullState(clock, '/data/aeris');
    expect(state.noteFailure(new Error('boom'), 'chat reply')).toBe(false);
    expect(state.lastFailure).toBeNull();
    expect(state.noteFailure(Object.assign(new Error('full'), { code: 'SQLITE_FULL' }), 'search index')).toBe(true);
    expect(state.lastFailure).toEqual({ at: clock.now(), what: 'search index' });
    state.noteSuccess();
    expect(state.lastFailure).toBeNull();
  });
});

const disk = mountTmpfs('1m');

describe.skipIf(!disk.ok)(`on a real full disk${disk.ok ? '' : ` (skipped: ${disk.reason})`}`, () => {
  afterAll(() => {
    if (disk.ok) disk.cleanup();
  });

  it('a file write that runs out of space is disk full (ENOSPC)', () => {
    const dir = disk.ok ? disk.dir : '';
    const err = thrown(() => fs.writeFileSync(path.join(dir, 'big'), Buffer.alloc(freeBytes(dir) + 64 * 1024)));
    expect((err as { code: string }).code).toBe('ENOSPC');
    expect(isDiskFull(err)).toBe(true);
  });
});
