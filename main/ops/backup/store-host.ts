import type { Store } from '../../store/store';

/**
 * Owns the open store so a restore can swap the database file under a running engine: close → swap → reopen.
 * `store` is a stable facade that always forwards to the store open now, so services built once
 * (chat, health, maintenance) keep working after a restore without being rebuilt.
 */
export class StoreHost {
  private currentStore: Store;
  private readonly listeners = new Set<(store: Store) => void>();
  readonly store: Store;

  constructor(private readonly open: () => Store) {
    this.currentStore = open();
    const current = () => this.currentStore;
    this.store = {
      get db() {
        return current().db;
      },
      get file() {
        return current().file;
      },
      get sessions() {
        return current().sessions;
      },
      get messages() {
        return current().messages;
      },
      get toolActivity() {
        return current().toolActivity;
      },
      ping: () => current().ping(),
      close: () => current().close(),
    };
  }

  current(): Store {
    return this.currentStore;
  }

  /**
   * Closes the store, runs `swap` (which moves files around), and opens the store again.
   * If `swap` throws, the old file is reopened and the error rethrown. If reopening fails the store
   * stays closed and the error is rethrown: the caller rolls its swap back and calls `reopen` again.
   */
  reopen(swap: () => void): void {
    this.currentStore.close();
    try {
      swap();
    } catch (err) {
      this.currentStore = this.open();
      throw err;
    }
    this.currentStore = this.open();
    for (const fn of this.listeners) fn(this.currentStore);
  }

  /** Told after each successful reopen (caches of the old store's data can clear themselves). */
  onReopen(fn: (store: Store) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
