import path from 'node:path';
import type { Clock } from '../../main/core/clock';
import { ImportsService } from '../../main/imports/imports-service';
import type { Store } from '../../main/store/store';
import { currentView, perTest } from './per-test';
import { tempStore } from './store-in-temp-dir';

/** One test's sensor imports: a real store and ImportsService in a temp dir of its own. */
interface ImportsBench {
  /** The temp dir: the store's file, the uploads folder (up/), and room for the test's own files. */
  readonly dir: string;
  readonly store: Store;
  readonly imports: ImportsService;
}

/**
 * Registers the hooks that give each test of the file a fresh temp dir, store and ImportsService, closed and
 * removed after it. Read the bench inside tests (or in a later beforeEach).
 */
export function importsInTempDir(clock: Clock): ImportsBench {
  const now = perTest(() => {
    const t = tempStore(clock, 'store.db');
    const imports = new ImportsService({ db: () => t.store.db, clock, uploadDir: path.join(t.dir, 'up') });
    return { dir: t.dir, store: t.store, imports, cleanup: t.cleanup };
  }, 'importsInTempDir');
  return currentView(now, ['dir', 'store', 'imports']);
}
