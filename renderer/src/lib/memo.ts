/**
 * Values made once, on first use, and kept by whoever holds the returned function or object: the memo lives in
 * a closure, so a module can hold it in a `const` instead of a module-level `let` (see eslint.config.js).
 */

/** `make()` on the first call, the same value after; a throw is not kept, so the next call tries again. */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | null = null;
  return () => (made ??= { value: make() }).value;
}

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
