import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { checkHeader } from './store-check';

/** Where `npm run build` writes the store template: beside the bundle that runs this code. */
function templateBesideBundle(): string {
  return fileURLToPath(new URL('store-template.db', import.meta.url));
}

/**
 * Makes a new store file with every migration applied and WAL as its journal mode, or leaves an existing one alone.
 *
 * Opened in place, a new store paid for its empty schema with six fsyncs (the switch to WAL goes through a rollback
 * journal at synchronous=FULL, then the WAL's first frames), a good part of the first start. The schema is built in
 * a scratch file beside it instead, with no journal and no syncs (nothing in it is anyone's data yet), synced
 * once and linked into place: the store file only ever appears whole. A crash before the link leaves a scratch
 * file that the next creation replaces; the link never replaces a store another process made meanwhile.
 *
 * The scratch file is a copy of the build's store template when there is one for this schema version: the same
 * empty store, built once by `npm run build` rather than at every first start (~5 ms of schema).
 */
export function createStoreFile(file: string, template?: string): void {
  if (fs.existsSync(file)) return;
  const scratch = `${file}.new-${process.pid}`;
  removeIfThere(scratch);
  try {
    const from = template ?? templateBesideBundle();
    if (isTemplateForThisSchema(from)) fs.copyFileSync(from, scratch);
    else buildEmptyStore(scratch);
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
    for (const f of [scratch, `${scratch}-wal`, `${scratch}-shm`]) removeIfThere(f);
  }
}

/** The empty store, every migration applied, WAL in its header, written to `file` (which must not exist). */
export function buildEmptyStore(file: string): void {
  const db = new Database(file);
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
}

/**
 * Whether `file` is a store template for this code: a sound SQLite header (checkHeader, as for the store itself) in
 * WAL mode (header bytes 18–19 are 2) at this schema version (user_version, bytes 60–63). Anything else (none,
 * another version, another file) means building the store instead.
 */
function isTemplateForThisSchema(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  const check = checkHeader(file);
  return (
    check.ok && check.header[18] === 2 && check.header[19] === 2 && check.header.readUInt32BE(60) === SCHEMA_VERSION
  );
}

/** unlink, where fs.rmSync (a recursive remover in JS) cost ~0.3 ms a file of every first start. */
function removeIfThere(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
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
