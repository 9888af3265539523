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
