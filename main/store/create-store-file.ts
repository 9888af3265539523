import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

/**
 * Makes a new store file with every migration applied and WAL as its journal mode, or leaves an existing one alone.
 *
 * Opened in place, a new store paid for its empty schema with six fsyncs (the switch to WAL goes through a rollback
 * journal at synchronous=FULL, then the WAL's first frames), a good part of the first start. The schema is built in
 * a scratch file beside it instead, with no journal and no syncs (nothing in it is anyone's data yet), synced
 * once and linked into place: the store file only ever appears whole. A crash before the link leaves a scratch
 * file that the next creation replaces; the link never replaces a store another process made meanwhile.
 */
export function createStoreFile(file: string): void {
  if (fs.existsSync(file)) return;
  const scratch = `${file}.new-${process.pid}`;
  fs.rmSync(scratch, { force: true });
  try {
    const db = new Database(scratch);
    try {
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      // Every step in one transaction: one commit instead of one per step, half the time of migrating in place.
      db.transaction(() => {
        for (const step of MIGRATIONS) step(db);
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
      })();
      // Stored in the header: every later open finds WAL without switching (and syncing) again.
      db.pragma('journal_mode = WAL');
    } finally {
      db.close();
    }
    syncPath(scratch);
    try {
      fs.linkSync(scratch, file);
    } catch (err) {
      // Another process made the store first: theirs is the one in use.
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
      // A file system without hard links (FAT, some network shares): a rename, which could replace a store made
      // in the last instant, so only when there is still none.
      if (fs.existsSync(file)) return;
      fs.renameSync(scratch, file);
    }
    syncDir(path.dirname(file));
  } finally {
    for (const f of [scratch, `${scratch}-wal`, `${scratch}-shm`]) fs.rmSync(f, { force: true });
  }
}

function syncPath(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The new name must survive a power loss too; Windows cannot open a directory to sync it (NTFS logs renames). */
function syncDir(dir: string): void {
  if (process.platform === 'win32') return;
  syncPath(dir);
}
