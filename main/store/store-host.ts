import type { Store } from './store';

/**
 * Owns the open store so a restore can swap the database file under a running engine: close → swap → reopen.
 * This is the one way the store is swapped. `store` is a stable facade that always forwards to the store
 * open now, so services built once (chat, health, maintenance) keep working after a restore without being
 * rebuilt; `onReopen` tells those that cache the old store's data.
 *
 * With `lazy`, the store is opened on first use, not here: backup list/verify/restore work on a data dir
 * whose store will not open (garbage over its header, zero bytes), and a restore can still replace it.
 */
export class StoreHost {
  private currentStore: Store | null = null;
  private readonly listeners = new Set<(store: Store) => void>();
  readonly store: Store;

  constructor(
    private readonly open: () => Store,
    opts: { lazy?: boolean } = {},
  ) {
    if (!opts.lazy) this.currentStore = open();
    const current = () => this.current();
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
      get providers() {
        return current().providers;
      },
      get answerVersions() {
        return current().answerVersions;
      },
      get chatSettings() {
        return current().chatSettings;
      },
      ping: () => current().ping(),
      close: () => this.currentStore?.close(), // as before: later use throws, nothing reopens
    };
  }

  /** The store open now, opening it first if it is not (throws when it cannot be opened). */
  current(): Store {
    this.currentStore ??= this.open();
    return this.currentStore;
  }

  get isOpen(): boolean {
    return this.currentStore !== null;
  }

  close(): void {
    this.currentStore?.close();
    this.currentStore = null;
  }

  /**
   * Closes the store (if open), runs `swap` (which moves files around), and opens the store again.
   * If `swap` throws, the old file is reopened when it can be, and the error rethrown. If reopening fails
   * the store stays closed and the error is rethrown: the caller rolls its swap back and calls `reopen` again.
   */
  reopen(swap: () => void): void {
    this.close();
    try {
      swap();
    } catch (err) {
      try {
        this.currentStore = this.open();
      } catch {
        // The old store would not open before either (a restore over a damaged store): leave it closed.
      }
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
