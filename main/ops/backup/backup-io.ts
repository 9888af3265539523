import fs from 'node:fs';
import path from 'node:path';

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

export function removeQuietly(...files: string[]): void {
  for (const f of files) fs.rmSync(f, { force: true });
}

export function uniquePath(dir: string, base: string, ext: string): string {
  let candidate = path.join(dir, `${base}${ext}`);
  for (let i = 2; fs.existsSync(candidate); i++) candidate = path.join(dir, `${base}-${i}${ext}`);
  return candidate;
}
