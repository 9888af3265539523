import { afterEach, beforeEach } from 'vitest';

/**
 * Registers the hooks that make a fresh `T` before each test (of the file, or of the describe it is called in)
 * and clean it up after, whatever the test did. The returned function reads the current one; outside a test
 * there is none, and it says so instead of handing back a stale one.
 */
export function perTest<T extends { cleanup(): void | Promise<void> }>(
  make: () => T | Promise<T>,
  label = 'perTest',
): () => T {
  let current: T | null = null;
  beforeEach(async () => {
    current = await make();
  });
  afterEach(async () => {
    const done = current;
    current = null;
    await done?.cleanup();
  });
  return () => {
    if (!current) throw new Error(`${label}: made for each test; read it inside one`);
    return current;
  };
}

/**
 * The current test's `T` as an object handed out at describe time: each of `keys` reads the one perTest made
 * for the running test. Methods come back unbound, so the made object's methods must not lean on `this`.
 */
export function currentView<T extends object, K extends keyof T>(now: () => T, keys: readonly K[]): Pick<T, K> {
  const view = {};
  for (const k of keys) Object.defineProperty(view, k, { get: () => now()[k], enumerable: true });
  return view as Pick<T, K>;
}
