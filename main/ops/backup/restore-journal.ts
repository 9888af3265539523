import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { fsyncDir, removeQuietly } from './backup-io';
import { isAlive, ownerOf } from './owner-tag';
import { lazy } from '../../../preload/shared/lazy';

/**
 * A restore swaps files with two renames (the old store aside, the checked copy in). A crash between them
 * would leave no store, and the next start would create an empty one. So before the first rename the
 * restore writes this journal (synced); the next start (`recoverInterruptedRestore`) rolls a half-done
 * swap back, or finishes one whose copy is already in place, and only then opens the store.
 */
const JournalSchema = lazy(() =>
  z.object({
    db: z.string(),
    /** The old store's files go to `aside` + '' | '-wal' | '-shm'. */
    aside: z.string(),
    /** The checked, restored copy that becomes `db`. */
    scratch: z.string(),
    /** True when the old store was unreadable: it stays aside, for salvage, instead of being deleted. */
    keepAside: z.boolean(),
  }),
);
type RestoreJournal = z.infer<ReturnType<typeof JournalSchema>>;

export const SUFFIXES = ['', '-wal', '-shm'] as const;

export const journalFile = (dbFile: string) => path.join(path.dirname(dbFile), '.restore-journal.json');

export function writeJournal(j: RestoreJournal): void {
  const file = journalFile(j.db);
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(j));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

export function clearJournal(dbFile: string): void {
  removeQuietly(journalFile(dbFile), `${journalFile(dbFile)}.tmp`);
  fsyncDir(path.dirname(dbFile));
}

export type Recovery =
  | { action: 'none' }
  | { action: 'rolled_back'; message: string }
  | { action: 'completed'; message: string }
  | { action: 'in_progress'; message: string };

/**
 * Run before the store is opened (engine start, the CLI). Finishes or undoes a restore that was cut short;
 * says what it did, for the log. Never leaves the store missing when any copy of it is still on disk.
 */
export function recoverInterruptedRestore(dbFile: string): Recovery {
  const file = journalFile(dbFile);
  if (!fs.existsSync(file)) return { action: 'none' };
  let j: RestoreJournal;
  try {
    j = JournalSchema().parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    // Cut short while being written: no rename had started yet.
    clearJournal(dbFile);
    return { action: 'none' };
  }
  const owner = ownerOf(path.basename(j.aside));
  if (owner && owner.pid !== process.pid && isAlive(owner)) {
    return { action: 'in_progress', message: `A restore by process ${owner.pid} is still running.` };
  }
  const asideFiles = SUFFIXES.filter((s) => fs.existsSync(j.aside + s));
  let result: Recovery;
  if (fs.existsSync(j.scratch) && (asideFiles.length > 0 || fs.existsSync(j.db))) {
    // The copy never made it into place: put the old store back as it was.
    for (const s of asideFiles) fs.renameSync(j.aside + s, j.db + s);
    removeQuietly(j.scratch);
    result = { action: 'rolled_back', message: 'A restore was interrupted; the store was put back as it was before.' };
  } else if (fs.existsSync(j.scratch)) {
    // Nothing of the old store is left anywhere, but the checked copy is: finish the restore.
    fs.renameSync(j.scratch, j.db);
    result = { action: 'completed', message: 'An interrupted restore was completed.' };
  } else if (fs.existsSync(j.db)) {
    // The copy is in place: the restore had finished but for cleaning up.
    if (!j.keepAside) for (const s of asideFiles) removeQuietly(j.aside + s);
    result = { action: 'completed', message: 'An interrupted restore had finished; its leftovers were removed.' };
  } else {
    for (const s of asideFiles) fs.renameSync(j.aside + s, j.db + s);
    result = { action: 'rolled_back', message: 'A restore was interrupted; the store was put back as it was before.' };
  }
  fsyncDir(path.dirname(dbFile));
  clearJournal(dbFile);
  return result;
}
