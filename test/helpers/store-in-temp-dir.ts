import path from 'node:path';
import type { Clock } from '../../main/core/clock';
import { openStore, type Store } from '../../main/store/store';
import { currentView, perTest } from './per-test';
import { makeTempDir } from './temp-dir';

/** A real SQLite store on a file in a temp dir of its own. */
interface TempStore {
  /** The temp dir: the store's file, and room for the test's own files. */
  readonly dir: string;
  /** The store's file. */
  readonly file: string;
  readonly store: Store;
  /** Closes the store (if still open) and opens `file` (the same one unless named), as a restart would. */
  reopen(file?: string): Store;
  /** Closes the store (if still open) and removes the temp dir. */
  cleanup(): void;
}

/** Opens a store at `name` under a fresh temp dir (the app's own layout unless named). */
export function tempStore(clock: Clock, name = path.join('data', 'aeris_agent.db')): TempStore {
  const tmp = makeTempDir();
  const file = path.join(tmp.dir, name);
  let store = openStore(file, clock);
  const closeIfOpen = () => {
    if (store.db.open) store.close();
  };
  return {
    dir: tmp.dir,
    file,
    get store() {
      return store;
    },
    reopen(other = file) {
      closeIfOpen();
      store = openStore(other, clock);
      return store;
    },
    cleanup() {
      closeIfOpen();
      tmp.cleanup();
    },
  };
}

/** Registers the hooks that give each test of the file a fresh `tempStore`. Read it inside tests. */
export function storeInTempDir(clock: Clock, name?: string): Omit<TempStore, 'cleanup'> {
  const now = perTest(() => tempStore(clock, name), 'storeInTempDir');
  return currentView(now, ['dir', 'file', 'store', 'reopen']);
}
