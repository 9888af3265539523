import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ManualClock } from '../../test/doubles/manual-clock';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { copySnapshotInWorker } from '../ops/backup/snapshot-copy';
import { openStore, type Store } from './store';
import { quickCheckInWorker } from './store-watch';

/**
 * Another process opens the store and closes it. SQLite's close checkpoints and deletes the write-ahead log
 * when it can lock the file as its only user: it must never can while the app has the store open.
 */
const otherProcessOpensAndCloses = (file: string): string =>
  execFileSync('sqlite3', [file, 'SELECT COUNT(*) FROM sessions'], { encoding: 'utf8' }).trim();

describe('reading the store file beside the open store', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let file: string;
  beforeEach(() => {
    tmp = makeTempDir();
    file = path.join(tmp.dir, 'store.db');
    store = openStore(file, new ManualClock());
    store.sessions.create({ title: 'one' });
  });
  afterEach(() => {
    store.close();
    tmp.cleanup();
  });

  for (const [what, read] of [
    ['the hourly check (its header read)', () => quickCheckInWorker(file)],
    ['a backup copy', () => copySnapshotInWorker({ src: file, dest: path.join(tmp.dir, 'copy.db') })],
  ] as const) {
    it(`${what} leaves the app's lock on it: another process cannot take the store over`, async () => {
      await read();
      expect(otherProcessOpensAndCloses(file)).toBe('1');
      expect(fs.existsSync(`${file}-wal`)).toBe(true); // the app's log, still where the app writes it
      store.sessions.create({ title: 'two' });
      const fresh = new Database(file, { readonly: true });
      try {
        expect(fresh.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 2 });
      } finally {
        fresh.close();
      }
    });
  }
});
