import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { releaseStoreFile, storeFileDescriptor } from '../../store/store-file-descriptor';
import { openSnapshotFileCopy } from './snapshot-file-copy';

/** A WAL store like the app's, with checkpoints left to the test: what it writes stays in the log. */
function walStore(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL); CREATE INDEX t_body ON t (body);');
  return db;
}

/** `n` rows of `size` bytes in one transaction. */
function addRows(db: Database.Database, n: number, size: number, tag: string): void {
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < n; i++) insert.run(`${tag}-${i}-`.padEnd(size, String.fromCharCode(97 + (i % 26))));
  })();
}

const readFiles = new Set<string>();

function copyOf(src: string, dest: string, fsImpl: typeof fs = fs, stepBytes = 64 * 1024) {
  readFiles.add(src);
  const copy = openSnapshotFileCopy(fsImpl, Database, { src, srcFd: storeFileDescriptor(src), dest, stepBytes });
  try {
    while (copy.step() !== null);
  } finally {
    copy.close();
  }
  return copy;
}

/**
 * An fs for the copy that calls `onRead(n)` before the n-th read of the log while it is scanned, that is
 * before the copy opens `dest` (its own reads of the log after that lay pages over the copy).
 */
function onScanReads(dest: string, onRead: (n: number) => void): typeof fs {
  let walFd = -1;
  let scanning = true;
  let reads = 0;
  return {
    ...fs,
    openSync: (file: fs.PathLike, flags: fs.OpenMode, mode?: fs.Mode) => {
      const fd = fs.openSync(file, flags, mode);
      if (String(file).endsWith('-wal')) walFd = fd;
      if (String(file) === dest) scanning = false;
      return fd;
    },
    readSync: (fd: number, buf: NodeJS.ArrayBufferView, offset: number, length: number, position: number) => {
      if (scanning && fd === walFd) onRead(++reads);
      return fs.readSync(fd, buf, offset, length, position);
    },
  } as typeof fs;
}

/** What a database holds, as rows, read by SQLite itself. */
function rowsOf(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    return (db.prepare('SELECT id, body FROM t ORDER BY id').all() as { id: number; body: string }[]).map(
      (r) => `${r.id}:${r.body}`,
    );
  } finally {
    db.close();
  }
}

/** The tags of the transactions a database holds, in order. */
const tagsOf = (rows: string[]): string[] => [...new Set(rows.map((r) => r.split(':')[1]!.split('-')[0]!))];

describe('openSnapshotFileCopy', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let src: string;
  beforeEach(() => {
    tmp = makeTempDir();
    src = path.join(tmp.dir, 'store.db');
  });
  afterEach(() => {
    for (const f of readFiles) releaseStoreFile(f); // every connection to them is closed by now
    readFiles.clear();
    tmp.cleanup();
  });

  it('makes of a store with most of its pages in the log what `sqlite3 .backup` makes, byte for byte bar the journal mode', () => {
    const db = walStore(src);
    try {
      addRows(db, 400, 3000, 'a');
      db.pragma('wal_checkpoint(PASSIVE)');
      addRows(db, 300, 2000, 'b'); // in the log only
      db.exec('DELETE FROM t WHERE id % 7 = 0'); // frees pages: the log's last commit shrinks nothing, reuses some
      addRows(db, 50, 9000, 'c'); // overflow pages
      const copy = copyOf(src, path.join(tmp.dir, 'ours.db'));
      expect(copy.walFrames).toBeGreaterThan(100);
      execFileSync('sqlite3', [src, `.backup '${path.join(tmp.dir, 'cli.db')}'`]);
      const ours = fs.readFileSync(path.join(tmp.dir, 'ours.db'));
      const cli = fs.readFileSync(path.join(tmp.dir, 'cli.db'));
      expect(ours.length).toBe(cli.length);
      const differ: number[] = [];
      for (let i = 0; i < ours.length; i++) if (ours[i] !== cli[i]) differ.push(i);
      // Every page is the same. In the 100-byte header, the CLI writes as SQLite's backup does: it bumps the
      // change counter (24–27, and 92–95 with it) and the schema cookie (40–43), puts its own version at
      // 96–99, and keeps the WAL marks (18–19: 2, 2) where ours makes a rollback-journal file (1, 1).
      const writerFields = [18, 19, 24, 25, 26, 27, 40, 41, 42, 43, 92, 93, 94, 95, 96, 97, 98, 99];
      expect(differ.filter((i) => !writerFields.includes(i))).toEqual([]);
      expect(differ).toEqual(expect.arrayContaining([18, 19]));
      expect([ours[18], ours[19], cli[18], cli[19]]).toEqual([1, 1, 2, 2]);
      expect(rowsOf(path.join(tmp.dir, 'ours.db'))).toEqual(rowsOf(src));
      const c = new Database(path.join(tmp.dir, 'ours.db'), { readonly: true });
      expect(c.pragma('journal_mode', { simple: true })).toBe('delete');
      c.close();
    } finally {
      db.close();
    }
  });

  it('leaves out what SQLite’s own recovery leaves out: a transaction cut short, a damaged frame, what follows', () => {
    const db = walStore(src);
    addRows(db, 200, 1000, 'a');
    db.pragma('wal_checkpoint(TRUNCATE)');
    addRows(db, 100, 1000, 'b'); // committed
    addRows(db, 100, 1000, 'c'); // committed
    const frames = (fs.statSync(`${src}-wal`).size - 32) / (24 + 4096);
    addRows(db, 400, 1000, 'd'); // many frames: cut below
    addRows(db, 50, 1000, 'e');
    // A snapshot of the files as a crash would leave them (the log kept, the store file as it was).
    const crashed = (name: string, damage: (wal: Buffer) => Buffer) => {
      const file = path.join(tmp.dir, `${name}.db`);
      fs.copyFileSync(src, file);
      fs.writeFileSync(`${file}-wal`, damage(fs.readFileSync(`${src}-wal`)));
      return file;
    };
    const frameAt = (i: number) => 32 + i * (24 + 4096);
    const cases = {
      // Cut in the middle of transaction d: b and c survive.
      cut: crashed('cut', (wal) => wal.subarray(0, frameAt(frames + 40) + 1000)),
      // One byte of a page in transaction d changed: its checksum fails there, and nothing after counts.
      flipped: crashed('flipped', (wal) => {
        const w = Buffer.from(wal);
        w[frameAt(frames + 30) + 24 + 500]! ^= 0xff;
        return w;
      }),
      // A header that fails its checksum: no frame counts.
      header: crashed('header', (wal) => {
        const w = Buffer.from(wal);
        w[26]! ^= 0x01;
        return w;
      }),
    };
    db.close();
    for (const [name, file] of Object.entries(cases)) {
      // Ours first: SQLite's reading below may rebuild or reset the log.
      const copy = copyOf(file, path.join(tmp.dir, `${name}-copy.db`));
      const expected = rowsOf(file); // SQLite's own recovery of the same files
      expect(rowsOf(path.join(tmp.dir, `${name}-copy.db`)), name).toEqual(expected);
      expect(tagsOf(expected), name).toEqual(name === 'header' ? ['a'] : ['a', 'b', 'c']);
      expect(copy.walFrames > 0, name).toBe(name !== 'header');
    }
  });

  it('a log restarted by another connection while it is read: read again, and the copy is one state', () => {
    const db = walStore(src);
    try {
      addRows(db, 2500, 1000, 'a'); // ~2,500 frames: more than one 4 MiB run of the log
      db.pragma('wal_checkpoint(PASSIVE)'); // all in the store file; the frames stay in the log
      const other = new Database(src);
      let reads = 0;
      const injecting = onScanReads(path.join(tmp.dir, 'copy.db'), (n) => {
        reads = n;
        // After the header and the first run of frames: another connection writes 1,200 pages, which
        // restarts the log (every frame was checkpointed) right over the frames not read yet.
        if (n === 3) addRows(other, 1200, 3000, 'z');
      });
      const copy = copyOf(src, path.join(tmp.dir, 'copy.db'), injecting);
      other.close();
      expect(reads).toBeGreaterThan(3); // it did read the log again
      const rows = rowsOf(path.join(tmp.dir, 'copy.db'));
      expect(tagsOf(rows)).toEqual(['a', 'z']); // the state after the write, whole
      expect(rows).toEqual(rowsOf(src));
      expect(copy.walFrames).toBeGreaterThan(1000);
    } finally {
      db.close();
    }
  });

  it('reads the log only as far as it reached when the copy began, however fast chat appends to it', () => {
    const db = walStore(src);
    try {
      addRows(db, 300, 1000, 'a');
      const other = new Database(src);
      other.pragma('wal_autocheckpoint = 0');
      const appending = onScanReads(path.join(tmp.dir, 'copy.db'), (n) => {
        // Each read of the log finds more than a whole run of new frames after it: a scan that followed
        // them would never end.
        if (n > 20) throw new Error('the scan kept following the writes');
        addRows(other, 400, 9000, `w${n}`);
      });
      const copy = copyOf(src, path.join(tmp.dir, 'copy.db'), appending);
      other.close();
      expect(tagsOf(rowsOf(path.join(tmp.dir, 'copy.db')))).toEqual(['a']); // the snapshot it began with
      expect(copy.walFrames).toBeGreaterThan(50);
    } finally {
      db.close();
    }
  });

  it('copies a store in rollback-journal mode as it is', () => {
    const db = new Database(src);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    addRows(db, 300, 500, 'a');
    const copy = copyOf(src, path.join(tmp.dir, 'copy.db'));
    db.close();
    expect(copy.walFrames).toBe(0);
    expect(fs.readFileSync(path.join(tmp.dir, 'copy.db')).equals(fs.readFileSync(src))).toBe(true);
  });

  it('refuses a file that is not a SQLite store, with a corruption code', () => {
    fs.writeFileSync(src, Buffer.alloc(8192, 7));
    expect(() => copyOf(src, path.join(tmp.dir, 'copy.db'))).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/^SQLITE_(NOTADB|CORRUPT)/) }),
    );
  });
});
