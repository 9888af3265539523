import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations';
import { createStoreFile } from './create-store-file';

export type Db = Database.Database;

/**
 * Opens the store with the seed's tuning: WAL (readers never block the writer), foreign keys,
 * a busy timeout so the CLI and a running app can share the file, then runs migrations.
 * synchronous=NORMAL in WAL survives a killed process (only power loss can drop the last commits).
 */
export function openDatabase(
  file: string,
  options: {
    readonly?: boolean;
    /** Run on the new connection before it writes anything (pragmas, migrations); a throw closes it. */
    check?: (db: Db) => void;
  } = {},
): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  // A new store is made whole in one step (schema and WAL, one sync) rather than migrated in place.
  if (file !== ':memory:' && !options.readonly) createStoreFile(file);
  const db = new Database(file, { readonly: options.readonly ?? false });
  try {
    db.pragma('busy_timeout = 5000');
    options.check?.(db);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    if (!options.readonly) migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
