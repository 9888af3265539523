import fs from 'node:fs';
import path from 'node:path';

/**
 * POSIX drops every lock a process holds on a file when it closes *any* descriptor of that file (SQLite's
 * "How To Corrupt An SQLite Database File", §2.2). Reading the store file with a descriptor of our own and
 * closing it would silently release the app's connection's lock: another process (the CLI, `sqlite3`) could
 * then take the store as its own last user, checkpoint it and delete its write-ahead log while the app still
 * writes to it. So the raw reads of a store file (its header, a backup's copy) share one descriptor per file,
 * opened once and closed only after the store's connection is (releaseStoreFile).
 */
const held = new Map<string, { fd: number; dev: number; ino: number }>();

/** A read-only descriptor of `file`, kept open; never close it yourself. */
export function storeFileDescriptor(file: string): number {
  const key = path.resolve(file);
  const have = held.get(key);
  const now = fs.statSync(key);
  if (have && have.dev === now.dev && have.ino === now.ino) return have.fd;
  const fd = fs.openSync(key, 'r');
  const st = fs.fstatSync(fd);
  held.set(key, { fd, dev: st.dev, ino: st.ino });
  // Another file has the name now (a restore put it there): the old one is no store of this process anymore.
  if (have) fs.closeSync(have.fd);
  return fd;
}

/** Closes the descriptor of `file`: only once no connection of this process has the file open. */
export function releaseStoreFile(file: string): void {
  const key = path.resolve(file);
  const have = held.get(key);
  if (!have) return;
  held.delete(key);
  fs.closeSync(have.fd);
}
