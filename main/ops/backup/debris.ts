import fs from 'node:fs';
import path from 'node:path';
import type { DataPaths } from '../../core/paths';
import { RESTORE_PREFIX } from './backup-restorer';
import { VERIFY_PREFIX } from './backup-verifier';
import { TMP_PREFIX } from './backup-writer';
import { isAlive, ownerOf } from './owner-tag';
import { journalFile } from './restore-journal';

/** Names from releases before owner tags: swept only once nobody has written to them for an hour. */
const UNOWNED_STALE_MS = 60 * 60 * 1000;

/**
 * Removes what a killed or failed backup, verify or restore left behind: temp archives and scratch dirs in
 * backups/, scratch copies and `.replaced-*` files next to the store. A file is swept, whatever its age,
 * once the process named in it (PID and start time) is gone; a live owner's files are left alone. While a
 * restore journal exists nothing next to the store is touched: the journal's recovery decides.
 */
export function sweepDebris(paths: Pick<DataPaths, 'dbFile' | 'backupsDir'>, now = Date.now()): string[] {
  const removed: string[] = [];
  const sweep = (dir: string, match: (n: string) => boolean) => {
    if (!fs.existsSync(dir)) return;
    for (const name of fs.readdirSync(dir)) {
      if (!match(name)) continue;
      const file = path.join(dir, name);
      try {
        const owner = ownerOf(name);
        if (owner ? isAlive(owner) : now - fs.statSync(file).mtimeMs < UNOWNED_STALE_MS) continue;
        fs.rmSync(file, { recursive: true, force: true });
        removed.push(file);
      } catch {
        // gone already
      }
    }
  };
  sweep(paths.backupsDir, (n) => n.startsWith(TMP_PREFIX) || n.startsWith(VERIFY_PREFIX));
  if (!fs.existsSync(journalFile(paths.dbFile))) {
    const replaced = `${path.basename(paths.dbFile)}.replaced-`;
    sweep(path.dirname(paths.dbFile), (n) => n.startsWith(RESTORE_PREFIX) || n.startsWith(replaced));
  }
  return removed;
}
