import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { Clock } from '../../main/core/clock';
import { ImportsService } from '../../main/imports/imports-service';
import { openStore, type Store } from '../../main/store/store';
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
  let current: (ImportsBench & { cleanup(): void }) | null = null;
  const now = (): ImportsBench => {
    if (!current) throw new Error('importsInTempDir: the bench is made for each test; read it inside one');
    return current;
  };
  beforeEach(() => {
    const tmp = makeTempDir();
    const store = openStore(path.join(tmp.dir, 'store.db'), clock);
    const imports = new ImportsService({ db: () => store.db, clock, uploadDir: path.join(tmp.dir, 'up') });
    current = {
      dir: tmp.dir,
      store,
      imports,
      cleanup() {
        store.close();
        tmp.cleanup();
      },
    };
  });
  afterEach(() => {
    current?.cleanup();
    current = null;
  });
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
