import fs from 'node:fs';
import path from 'node:path';

const SUFFIXES = ['', '-wal', '-shm'] as const;

/** `aeris_agent.db.corrupt-2026-01-10T12-00-00Z`: sorts by time, and says what it is to whoever finds it. */
function corruptName(dbFile: string, now: number): string {
  const stamp = new Date(now)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
  let name = `${dbFile}.corrupt-${stamp}`;
  for (let i = 2; fs.existsSync(name); i++) name = `${dbFile}.corrupt-${stamp}-${i}`;
  return name;
}

/** A damaged store moved out of the way (never deleted), with its WAL and shared memory beside it. */
export interface SetAside {
  /** The damaged file's new name (null when there was no file, only a marker saying there had been one). */
  file: string | null;
  /** Puts the files back where they were. */
  undo(): void;
}

export function setAside(dbFile: string, now: number): SetAside {
  const aside = corruptName(dbFile, now);
  const moved: string[] = [];
  for (const s of SUFFIXES) {
    if (fs.existsSync(dbFile + s)) {
      fs.renameSync(dbFile + s, aside + s);
      moved.push(s);
    }
  }
  syncDir(path.dirname(dbFile));
  return {
    file: moved.includes('') ? aside : null,
    undo() {
      for (const s of SUFFIXES) fs.rmSync(dbFile + s, { force: true });
      for (const s of moved) fs.renameSync(aside + s, dbFile + s);
      syncDir(path.dirname(dbFile));
    },
  };
}

export function syncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Directories cannot be opened for sync on Windows; the rename itself is still atomic there.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}
