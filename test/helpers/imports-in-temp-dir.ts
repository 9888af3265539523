import path from 'node:path';
import type { Clock } from '../../main/core/clock';
import { ImportsService } from '../../main/imports/imports-service';
import { openStore, type Store } from '../../main/store/store';
import { perTest } from './per-test';
import { makeTempDir } from './temp-dir';

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
    const tmp = makeTempDir();
    const store = openStore(path.join(tmp.dir, 'store.db'), clock);
    const imports = new ImportsService({ db: () => store.db, clock, uploadDir: path.join(tmp.dir, 'up') });
    return {
      dir: tmp.dir,
      store,
      imports,
      cleanup() {
        store.close();
        tmp.cleanup();
      },
    };
  }, 'importsInTempDir');
  return {
    get dir() {
      return now().dir;
    },
    get store() {
      return now().store;
    },
    get imports() {
      return now().imports;
    },
  };
}
