import { createRequire } from 'node:module';

/**
 * better-sqlite3's entry file, for a worker thread to load the same driver this process uses (in a checkout, the
 * bundle or the app). Resolved when a worker is about to start: resolving it took ~0.6 ms that no start needs.
 */
export function sqliteDriverPath(): string {
  return createRequire(import.meta.url).resolve('better-sqlite3');
}
