import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { systemClock } from '../../core/clock';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { fillStore, growStore, makeDataDir } from './test-support/backup-test-kit';
import { WorkerUnavailableError, copySnapshotInWorker } from './snapshot-copy';
import type { StoreHost } from '../../store/store-host';

describe('copySnapshotInWorker', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let host: StoreHost;
  let dbFile: string;

  beforeEach(() => {
    tmp = makeTempDir();
    const made = makeDataDir(tmp.dir, systemClock);
    host = made.host;
    dbFile = made.paths.dbFile;
    fillStore(host, 4, 5);
    growStore(host, 8, Date.now());
  });
  afterEach(() => {
    host.current().close();
    tmp.cleanup();
  });

  it('copies one consistent snapshot while this thread keeps writing, with the facts of the copy', async () => {
    const before = host.store.sessions.list().total;
    const session = host.store.sessions.create({ title: 'live' });
    let writes = 0;
    let stop = false;
    const writer = (async () => {
      while (!stop) {
        host.store.messages.insert({ sessionId: session.id, role: 'user', content: `live ${writes++}` });
        await new Promise((r) => setImmediate(r));
      }
    })();
    const dest = path.join(tmp.dir, 'copy.db');
    const steps: number[] = [];
    const r = await copySnapshotInWorker({
      src: dbFile,
      dest,
      stepBytes: 256 * 1024, // many steps, so the writes above land between them
      onCopy: (done) => steps.push(done),
    });
    stop = true;
    await writer;

    // This thread was never blocked: it wrote all along, and the copy took many steps.
    expect(writes).toBeGreaterThan(20);
    expect(steps.length).toBeGreaterThan(5);
    expect(steps).toEqual([...steps].sort((a, b) => a - b)); // a snapshot: never restarted

    const copy = new Database(dest, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete'); // one self-contained file
      const sessions = (copy.prepare('SELECT COUNT(*) AS n FROM sessions').get() as { n: number }).n;
      const messages = (copy.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n;
      expect(r.facts).toMatchObject({
        sessions,
        messages,
        schemaVersion: copy.pragma('user_version', { simple: true }),
      });
      expect(sessions).toBeGreaterThanOrEqual(before);
      // Consistent: the live rows in the copy are exactly the first k written, none missing in between.
      const live = copy
        .prepare(`SELECT content FROM messages WHERE session_id = ? ORDER BY id`)
        .all(session.id)
        .map((row) => (row as { content: string }).content);
      expect(live).toEqual(live.map((_, i) => `live ${i}`));
    } finally {
      copy.close();
    }
    expect(r.bytes).toBe(fs.statSync(dest).size);
  });

  it('a failure of the copy itself is an error, not "worker unavailable"', async () => {
    const err = await copySnapshotInWorker({ src: dbFile, dest: path.join(tmp.dir, 'no-such-dir', 'c.db') }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(WorkerUnavailableError);
    expect(err).toMatchObject({ code: 'ENOENT' });
  });

  it('a worker that cannot load the driver is "unavailable", so the caller can copy another way', async () => {
    const err = await copySnapshotInWorker({
      src: dbFile,
      dest: path.join(tmp.dir, 'c.db'),
      driver: path.join(tmp.dir, 'missing-driver.js'),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerUnavailableError);
    expect(fs.existsSync(path.join(tmp.dir, 'c.db'))).toBe(false);
  });
});
