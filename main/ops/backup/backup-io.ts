import { engineMessage } from '../../../preload/shared/engine-messages';
import fs from 'node:fs';
import path from 'node:path';
import { BackupError } from './backup-errors';
import type { Digest } from './piece-digest';

/**
 * The writes a backup or a restore makes itself (SQLite's own page copy aside). Injected so tests can
 * make the disk "fill up" at any byte and check that nothing is left half done.
 */
export interface BackupIo {
  writeSync(fd: number, data: Uint8Array): void;
  /** Async, on the thread pool: syncing a gigabyte must not stall chat writes on the main thread. */
  fsync(fd: number): Promise<void>;
  /** Free bytes on the volume holding `dir` (null when unknown). */
  freeBytes(dir: string): number | null;
}

export const nodeBackupIo: BackupIo = {
  writeSync(fd, data) {
    let off = 0;
    while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
  },
  fsync: (fd) => new Promise((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve()))),
  freeBytes(dir) {
    try {
      const s = fs.statfsSync(dir);
      return s.bavail * s.bsize;
    } catch {
      return null;
    }
  },
};

/** A directory entry (a rename) is only durable once the directory itself is synced; not possible on Windows. */
export function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems (FAT on a USB stick) refuse; the data itself was synced already.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/** fsyncDir on the thread pool: a directory sync can take tens of ms on a busy disk, a stall for chat writes. */
export async function fsyncDirAsync(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle: fs.promises.FileHandle | null = null;
  try {
    handle = await fs.promises.open(dir, 'r');
    await handle.sync();
  } catch {
    // As fsyncDir: some filesystems refuse.
  } finally {
    await handle?.close();
  }
}

export function removeQuietly(...files: string[]): void {
  for (const f of files) fs.rmSync(f, { force: true });
}

/** removeQuietly on the thread pool: unlinking a gigabyte's copy takes the kernel a while. */
export async function removeQuietlyAsync(...files: string[]): Promise<void> {
  await Promise.all(files.map((f) => fs.promises.rm(f, { force: true })));
}

export function uniquePath(dir: string, base: string, ext: string): string {
  let candidate = path.join(dir, `${base}${ext}`);
  for (let i = 2; fs.existsSync(candidate); i++) candidate = path.join(dir, `${base}-${i}${ext}`);
  return candidate;
}

/** Refuses up front (disk_full, nothing changed) when the volume holding `dir` lacks `needed` bytes + 16 MB. */
export function checkSpace(io: BackupIo, dir: string, needed: number, what: string): void {
  const free = io.freeBytes(dir);
  if (free !== null && free < needed + 16 * 1024 * 1024) {
    throw new BackupError(
      'disk_full',
      `${what} needs about ${Math.ceil(needed / 1048576)} MB free in ${dir}, but only ${Math.floor(free / 1048576)} MB are free. Nothing was changed.`,
      {},
      engineMessage('backup.diskNeeds', { needBytes: needed, freeBytes: free, dir }),
    );
  }
}

/**
 * A file's digest (its first `limit` bytes) on this thread. Synchronous 4 MB reads into one reused buffer
 * run at memory speed (a stream of fresh 1 MB buffers was 2× slower); yielding after each block keeps chat
 * writes flowing.
 */
export async function digestFile(
  file: string,
  digest: Digest,
  onBytes?: (done: number) => void,
  limit = Infinity,
): Promise<string> {
  const buf = Buffer.allocUnsafe(4 << 20);
  const fd = fs.openSync(file, 'r');
  try {
    let done = 0;
    while (done < limit) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, limit - done), done);
      if (n === 0) break;
      digest.update(buf.subarray(0, n));
      done += n;
      onBytes?.(done);
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    fs.closeSync(fd);
  }
  return digest.hex();
}
