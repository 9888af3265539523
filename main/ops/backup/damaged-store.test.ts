import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { dataPaths } from '../../core/paths';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { BackupService } from './backup-service';
import { fillStore, makeDataDir } from './test-support/backup-test-kit';
import { openStandaloneBackups } from './standalone';
import { ManualClock } from '../../../test/doubles/manual-clock';

/** Random bytes over one whole page of a closed store (as a failing disk leaves it). */
function smashPage(dbFile: string, page: number): void {
  const pageSize = fs.readFileSync(dbFile).readUInt16BE(16);
  const fd = fs.openSync(dbFile, 'r+');
  try {
    fs.writeSync(fd, randomBytes(pageSize), 0, pageSize, (page - 1) * pageSize);
  } finally {
    fs.closeSync(fd);
  }
}

describe('backups of and over a damaged store', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let clock: ManualClock;
  let paths: ReturnType<typeof dataPaths>;

  /** A data dir with 3 sessions and one good backup of them; the store closed. */
  const seed = async () => {
    const { host } = makeDataDir(tmp.dir, clock);
    fillStore(host, 3, 4);
    const b = await new BackupService({ host, paths, clock }).create();
    host.close();
    return b;
  };
  const sessionsIn = (file: string) => {
    const db = new Database(file, { readonly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM sessions').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  beforeEach(() => {
    tmp = makeTempDir();
    clock = new ManualClock();
    paths = dataPaths(tmp.dir);
  });
  afterEach(() => tmp.cleanup());

  it('refuses to back up a store with a damaged page: a clear error, nothing listed, nothing left', async () => {
    const good = await seed();
    smashPage(paths.dbFile, 2);
    const { backups, close } = openStandaloneBackups(tmp.dir, clock);
    try {
      const err = await backups.create().catch((e: unknown) => e);
      expect(err).toMatchObject({ reason: 'source_corrupt' });
      expect((err as Error).message).toMatch(/store is damaged, so no backup was written/);
      expect((await backups.list()).backups.map((b) => b.name)).toEqual([good.name]); // still the newest
      expect(fs.readdirSync(paths.backupsDir)).toEqual([good.name]);
      // Restoring over it: no safety backup of damaged data, the damaged file kept aside for salvage.
      const r = await backups.restore(good.name);
      expect(r.safetyBackup).toBeNull();
      expect(r.damagedStoreKeptAt).toMatch(/\.corrupt-/);
      expect(fs.readdirSync(paths.backupsDir)).toEqual([good.name]);
    } finally {
      close();
    }
    expect(sessionsIn(paths.dbFile)).toBe(3);
  });

  for (const [what, damage] of [
    [
      'garbage over its header',
      (f: string) => fs.writeFileSync(f, Buffer.concat([randomBytes(100), fs.readFileSync(f).subarray(100)])),
    ],
    ['zero bytes', (f: string) => fs.truncateSync(f, 0)],
  ] as const) {
    it(`list, verify and restore work when the store is ${what}; the damaged file is kept aside`, async () => {
      const good = await seed();
      damage(paths.dbFile);
      const damagedBytes = fs.readFileSync(paths.dbFile);
      const { backups, close } = openStandaloneBackups(tmp.dir, clock);
      try {
        expect((await backups.list()).backups.map((b) => b.name)).toEqual([good.name]);
        expect(await backups.verify(good.name)).toMatchObject({ ok: true });
        expect((await backups.previewRestore(good.name)).backup.sessions).toBe(3);
        await expect(backups.create()).rejects.toMatchObject({ reason: 'source_corrupt' });
        const r = await backups.restore(good.name);
        expect(r.safetyBackup).toBeNull();
        expect(r.damagedStoreKeptAt).toMatch(/aeris_agent\.db\.corrupt-/);
        expect(fs.readFileSync(r.damagedStoreKeptAt!).equals(damagedBytes)).toBe(true);
      } finally {
        close();
      }
      expect(sessionsIn(paths.dbFile)).toBe(3);
      // A later start sweeps leftovers, never the kept damaged store.
      openStandaloneBackups(tmp.dir, clock).close();
      expect(fs.readdirSync(path.dirname(paths.dbFile)).filter((n) => n.includes('.corrupt-'))).toHaveLength(1);
    });
  }

  it('still refuses to restore while another process has a readable store open', async () => {
    const good = await seed();
    const other = new Database(paths.dbFile);
    other.prepare('SELECT COUNT(*) FROM sessions').get();
    const { backups, close } = openStandaloneBackups(tmp.dir, clock);
    try {
      await expect(backups.restore(good.name)).rejects.toMatchObject({ reason: 'in_use' });
    } finally {
      close();
      other.close();
    }
    expect(
      fs.readdirSync(path.dirname(paths.dbFile)).filter((n) => n.startsWith('.') || n.includes('.replaced-')),
    ).toEqual([]);
  });
});
