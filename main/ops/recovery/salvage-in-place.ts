import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../core/clock';
import { salvageStore, type SalvageReport } from '../../store/salvage';
import { setAside, syncDir, type SetAside } from './set-aside';

export interface SalvageOutcome extends SalvageReport {
  /** Where the damaged file now is (kept, never deleted). */
  keptAside: string | null;
}

/**
 * Salvage where the store lives: every readable row into a new store beside it, then the damaged file is moved
 * aside (`aeris_agent.db.corrupt-<time>`) and the new one takes its name. The caller has the store closed.
 * `install` runs the final rename (a running engine does it while its host reopens the file).
 */
export function salvageInPlace(
  dbFile: string,
  clock: Clock,
  install: (rename: () => SetAside) => void = (rename) => void rename(),
): SalvageOutcome {
  const dataDir = path.dirname(dbFile);
  const fresh = path.join(dataDir, `.salvage-${clock.now()}-${process.pid}.db`);
  const cleanup = () => {
    for (const s of ['', '-wal', '-shm', '-journal']) fs.rmSync(fresh + s, { force: true });
  };
  let report: SalvageReport;
  try {
    report = salvageStore(dbFile, fresh, clock);
  } catch (err) {
    cleanup();
    throw err;
  }
  let aside: SetAside | null = null;
  try {
    install(() => {
      aside = setAside(dbFile, clock.now());
      try {
        fs.renameSync(fresh, dbFile);
        syncDir(dataDir);
      } catch (err) {
        aside.undo();
        throw err;
      }
      return aside;
    });
  } finally {
    cleanup();
  }
  return { ...report, keptAside: (aside as SetAside | null)?.file ?? null };
}
