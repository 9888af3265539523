/**
 * An asynchronous value loaded once, on first use, and kept by whoever holds the returned object: the memo lives
 * in a closure, so a module can hold it in a `const` instead of a module-level `let` (see eslint.config.js). The
 * synchronous twin is `lazy` in preload/shared/lazy.ts, which engine and UI share.
 */

interface Loader<T> {
  /** The value once loaded, else null (a component can render at once with it). */
  peek(): T | null;
  /** Starts the load on first ask; every caller shares it. A failed load is forgotten, to be tried again. */
  load(): Promise<T>;
}

/** A value loaded asynchronously once (a chunk imported on demand), readable synchronously once it is here. */
export function memoLoader<T>(load: () => Promise<T>): Loader<T> {
  let value: { v: T } | null = null;
  let pending: Promise<T> | null = null;
  return {
    peek: () => (value ? value.v : null),
    load() {
      if (value) return Promise.resolve(value.v);
      pending ??= load().then(
        (v) => {
          value = { v };
          return v;
        },
        (err: unknown) => {
          pending = null;
          throw err;
        },
      );
      return pending;
    },
  };
}
