import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DataPaths } from '../../core/paths';
import { SCHEMA_VERSION } from '../../store/migrations';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { DAY_MS } from '../time-stamps';
import { BackupService, type BackupServiceDeps } from './backup-service';
import { BackupError } from './backup-errors';
import type { ComponentLogger } from '../logger';
import { fillStore, fullDiskAfter, growStore, makeDataDir, packArchive } from './test-support/backup-test-kit';
import { WorkerUnavailableError, type SnapshotCopier } from './snapshot-copy';
import { openArchive } from './archive-reader';
import { digestFor } from './piece-digest';
import type { StoreHost } from '../../store/store-host';
import { ManualClock } from '../../../test/doubles/manual-clock';

describe('BackupService', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let clock: ManualClock;
  let paths: DataPaths;
  let host: StoreHost;
  let busy: boolean;
  let applied: Record<string, unknown> | null;

  const service = (over: Partial<BackupServiceDeps> = {}) =>
    new BackupService({
      host,
      paths,
      clock,
      isBusy: () => busy,
      applySettings: (s) => {
        applied = s;
      },
      ...over,
    });
  const sessionTitles = () =>
    host.store.sessions
      .list(100)
      .sessions.map((s) => s.title)
      .sort();
  const backupFiles = () => fs.readdirSync(paths.backupsDir);

  beforeEach(() => {
    tmp = makeTempDir();
    clock = new ManualClock();
    ({ paths, host } = makeDataDir(tmp.dir, clock));
    fillStore(host, 3, 4);
    busy = false;
    applied = null;
  });
  afterEach(() => {
    host.current().close();
    tmp.cleanup();
  });

  it('backs up with a manifest, lists it, verifies it and previews it', async () => {
    fs.writeFileSync(
      paths.configFile,
      JSON.stringify({ defaultModel: 'qwen2.5:3b', apiToken: 'sekrit-value', nested: { password: 'x' } }),
    );
    const phases = new Set<string>();
    const b = await service().create({ onProgress: (p) => phases.add(p.phase) });
    expect(phases).toEqual(new Set(['copy', 'compress', 'finalize']));
    expect(path.dirname(b.path)).toBe(paths.backupsDir);
    expect(b.name).toMatch(/^aeris-backup-\d{8}-\d{6}-manual\.aerisbak$/);
    expect(b).toMatchObject({
      sessions: 3,
      messages: 12,
      kind: 'manual',
      schemaVersion: SCHEMA_VERSION,
      compression: 'gzip',
    });
    expect(b.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(b.sizeBytes).toBe(fs.statSync(b.path).size);
    expect(b.firstMessageAt).toBe(new Date(clock.now()).toISOString());
    // The settings travel without their secrets.
    const raw = fs.readFileSync(b.path).toString('latin1');
    expect(raw).toContain('qwen2.5:3b');
    expect(raw).not.toContain('sekrit-value');
    expect(raw).not.toContain('password');

    const { backups, damaged } = await service().list();
    expect(backups.map((x) => x.path)).toEqual([b.path]);
    expect(damaged).toEqual([]);
    const report = await service().verify(b.path);
    expect(report.ok).toBe(true);
    expect(report.checks.join('\n')).toMatch(/checksum[\s\S]*integrity_check: ok[\s\S]*schema/);
    // Line for line as message ids, for the Backups card in the UI's language (issue 15).
    expect(report.checkTexts.map((c) => c.id)).toEqual([
      'verify.manifest',
      'verify.checksum',
      'verify.sealOk',
      'verify.integrity',
      'verify.schema',
      'verify.counts',
    ]);
    expect(report.checkTexts).toHaveLength(report.checks.length);
    expect(await service().inspect(b.name)).toEqual(b);
    // Nothing but the backup is left in backups/ (no temp files, no scratch dirs).
    expect(backupFiles()).toEqual([b.name]);
  });

  it('writes an uncompressed backup that verifies and restores the same way', async () => {
    const b = await service().create({ compress: false });
    expect(b.compression).toBe('none');
    expect((await service().verify(b.path)).ok).toBe(true);
    fillStore(host, 1, 1, 'after');
    await service().restore(b.path);
    expect(host.store.sessions.list().total).toBe(3);
  });

  it('restores: a safety backup first, the store swapped under the same facade, settings applied', async () => {
    fs.writeFileSync(paths.configFile, JSON.stringify({ defaultModel: 'old-model', theme: 'dark' }));
    const svc = service();
    const b = await svc.create();
    const before = sessionTitles();
    const facade = host.store;
    fs.writeFileSync(paths.configFile, JSON.stringify({ defaultModel: 'new-model', theme: 'dark' }));
    fillStore(host, 2, 2, 'written after the backup');
    expect(facade.sessions.list().total).toBe(5);
    clock.advance(60_000);

    const result = await svc.restore(b.path);
    expect(sessionTitles()).toEqual(before);
    expect(facade.sessions.list().total).toBe(3); // same object, new database under it
    expect(facade.messages.search('Kampala').length).toBeGreaterThan(0);
    expect(result.safetyBackup).toMatchObject({ kind: 'safety', sessions: 5 });
    expect(result.settingsRestored).toBe(true);
    expect(applied).toEqual({ defaultModel: 'old-model' });
    // Nothing stray next to the store.
    expect(fs.readdirSync(path.dirname(paths.dbFile)).filter((n) => !n.startsWith('aeris_agent.db'))).toEqual([]);
    // And the safety backup brings the newer data back.
    await svc.restore(result.safetyBackup!.path);
    expect(host.store.sessions.list().total).toBe(5);
  });

  it('keeps chat writes going during a backup, and the copy is consistent', async () => {
    const svc = service();
    let writes = 0;
    let stop = false;
    const session = host.store.sessions.create({ title: 'live' });
    const writer = (async () => {
      while (!stop) {
        host.store.messages.insert({ sessionId: session.id, role: 'user', content: `live ${writes++}` });
        await new Promise((r) => setImmediate(r));
      }
    })();
    let atFirstCopy: number | null = null;
    let atFinalize = 0;
    const b = await svc.create({
      onProgress: (p) => {
        if (p.phase === 'copy') atFirstCopy ??= writes;
        if (p.phase === 'finalize') atFinalize = writes;
      },
    });
    stop = true;
    await writer;
    // Writes went on between the copy's start and the end of the backup (the copy runs off this thread)…
    expect(atFirstCopy).not.toBeNull();
    expect(atFinalize).toBeGreaterThan(atFirstCopy!);
    // …and the backup holds one consistent snapshot: the 12 first messages plus some of the live ones.
    expect(b.messages).toBeGreaterThanOrEqual(12);
    expect(b.messages).toBeLessThanOrEqual(12 + writes);
    expect((await svc.verify(b.path)).ok).toBe(true);
  });

  describe('when no worker thread can load the driver (the fallback on this thread)', () => {
    const unavailable: SnapshotCopier = () => Promise.reject(new WorkerUnavailableError('cannot load the driver'));

    it('backs up on this thread, says so in the log, and the backup verifies', async () => {
      const warnings: string[] = [];
      const logger: ComponentLogger = {
        debug: () => undefined,
        info: () => undefined,
        warn: (m) => warnings.push(m),
        error: () => undefined,
      };
      // Threads that start but never give a digest (they die): the copy's checksum is taken on this thread.
      const noChecksumThreads = () => ({
        digest: () => Promise.reject(new Error('cannot start a worker')),
        follow: () => ({ upTo: () => undefined, result: () => Promise.reject(new Error('cannot start a worker')) }),
        close: () => undefined,
      });
      for (const compress of [false, true]) {
        const b = await service({ copier: unavailable, startHashers: noChecksumThreads, logger }).create({ compress });
        expect((await service().verify(b.path)).ok).toBe(true);
        expect(b.messages).toBe(12);
      }
      expect(warnings).toEqual([
        'backup worker unavailable; copying on the main thread',
        'checksum workers unavailable; checksumming on the main thread',
        'backup worker unavailable; copying on the main thread',
        'checksum workers unavailable; checksumming on the main thread',
      ]);
    });

    it('copies in short steps while chat writes go on between them, and the copy is the snapshot it began with', async () => {
      growStore(host, 12, clock.now());
      const session = host.store.sessions.create({ title: 'live' });
      const count = () => (host.store.db.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n;
      let stop = false;
      const writer = (async () => {
        for (let i = 0; !stop; i++) {
          // Rows of 100 KB: the store grows while it is copied.
          host.store.messages.insert({ sessionId: session.id, role: 'user', content: 'x'.repeat(100_000) + i });
          await new Promise((r) => setImmediate(r));
        }
      })();
      const steps: number[] = [];
      let atStart: number | null = null;
      const b = await service({ copier: unavailable }).create({
        compress: false,
        onProgress: (p) => {
          if (p.phase !== 'copy') return;
          // The snapshot is taken just before the first step, with no turn of the event loop in between.
          atStart ??= count();
          steps.push(p.done);
        },
      });
      stop = true;
      await writer;
      expect(steps.length).toBeGreaterThan(10); // 1 MiB steps over a 12 MB store
      expect(Math.max(...steps.slice(1).map((d, i) => d - steps[i]!))).toBeLessThanOrEqual(1 << 20);
      expect(count()).toBeGreaterThan(atStart!); // writes landed while it copied…
      expect(b.messages).toBe(atStart); // …and none of them in the copy
      expect((await service().verify(b.path)).ok).toBe(true);
    });
  });

  describe('refuses bad files and changes nothing', () => {
    const expectRefused = async (file: string, reason: string) => {
      const svc = service();
      const titles = sessionTitles();
      const filesBefore = backupFiles().sort();
      const report = await svc.verify(file);
      expect(report.ok).toBe(false);
      if (!report.ok) expect(report.reason).toBe(reason);
      await expect(svc.restore(file)).rejects.toMatchObject({ reason });
      expect(sessionTitles()).toEqual(titles);
      expect(backupFiles().sort()).toEqual(filesBefore); // no safety backup, no temp files
      expect(fs.readdirSync(path.dirname(paths.dbFile)).filter((n) => n.startsWith('.'))).toEqual([]);
      return report;
    };

    it('corrupt: a flipped byte in the payload fails the checksum', async () => {
      for (const compress of [true, false]) {
        const b = await service().create({ compress });
        const bad = path.join(tmp.dir, `corrupt-${compress}.aerisbak`);
        const bytes = fs.readFileSync(b.path);
        const at = Math.floor(b.sizeBytes / 3);
        bytes[at] = bytes[at]! ^ 0xff;
        fs.writeFileSync(bad, bytes);
        const report = await expectRefused(bad, 'corrupt');
        expect(report.ok ? '' : report.message).toMatch(/damaged|checksum/);
      }
    });

    it('corrupt: a damaged manifest', async () => {
      const b = await service().create();
      const bytes = fs.readFileSync(b.path);
      const at = bytes.lastIndexOf(Buffer.from('"sessions"'));
      bytes.write('"sessionz"', at);
      const bad = path.join(tmp.dir, 'manifest.aerisbak');
      fs.writeFileSync(bad, bytes);
      await expectRefused(bad, 'corrupt');
    });

    it('truncated: a backup cut short, compressed or not, and an empty file', async () => {
      for (const compress of [true, false]) {
        const b = await service().create({ compress });
        const cut = path.join(tmp.dir, `cut-${compress}.aerisbak`);
        fs.writeFileSync(cut, fs.readFileSync(b.path).subarray(0, Math.floor(b.sizeBytes / 2)));
        await expectRefused(cut, 'truncated');
        const chopped = path.join(tmp.dir, `chopped-${compress}.aerisbak`);
        fs.writeFileSync(chopped, fs.readFileSync(b.path).subarray(0, b.sizeBytes - 10));
        await expectRefused(chopped, 'truncated');
      }
      const empty = path.join(tmp.dir, 'empty.aerisbak');
      fs.writeFileSync(empty, '');
      await expectRefused(empty, 'truncated');
    });

    it('foreign: another app’s database, plain or packed as a backup, and a random file', async () => {
      const other = path.join(tmp.dir, 'other.db');
      const db = new Database(other);
      db.exec(`CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL); INSERT INTO orders (total) VALUES (9.5);`);
      db.pragma('user_version = 1');
      db.close();
      await expectRefused(other, 'foreign');
      const packed = path.join(tmp.dir, 'packed.aerisbak');
      packArchive(other, packed, {});
      const report = await expectRefused(packed, 'foreign');
      expect(report.ok ? '' : report.message).toMatch(/schema/);
      const junk = path.join(tmp.dir, 'junk.aerisbak');
      fs.writeFileSync(junk, 'hello, this is not a backup at all'.repeat(10));
      await expectRefused(junk, 'foreign');
    });

    it('newer schema: said by the manifest, or hidden in the database', async () => {
      const copy = path.join(tmp.dir, 'newer.db');
      await host.current().db.backup(copy);
      const db = new Database(copy);
      db.pragma('journal_mode = DELETE');
      db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      db.close();
      const honest = path.join(tmp.dir, 'newer.aerisbak');
      packArchive(copy, honest, { schemaVersion: SCHEMA_VERSION + 1, sessions: 3, messages: 12 });
      const report = await expectRefused(honest, 'newer_schema');
      expect(report.ok ? '' : report.message).toMatch(/newer/);
      const lying = path.join(tmp.dir, 'lying.aerisbak');
      packArchive(copy, lying, { schemaVersion: SCHEMA_VERSION, sessions: 3, messages: 12 });
      await expectRefused(lying, 'newer_schema');
    });

    it('a missing file', async () => {
      await expect(service().restore(path.join(tmp.dir, 'nope.aerisbak'))).rejects.toMatchObject({
        reason: 'not_found',
      });
    });
  });

  it('writes format 3 (pieces checksum plus a seal) and still reads and restores formats 2 and 1', async () => {
    const b = await service().create({ compress: false });
    const archive = await openArchive(b.path);
    expect(archive.footer.formatVersion).toBe(3);
    expect(archive.seal).not.toBeNull();
    expect(archive.manifest.checksum).toBe('sha256-8MiB-pieces');
    const payload = Buffer.alloc(archive.footer.payloadBytes);
    const fd = fs.openSync(b.path, 'r');
    fs.readSync(fd, payload, 0, payload.length, 0);
    fs.closeSync(fd);
    const pieces = digestFor('sha256-8MiB-pieces');
    pieces.update(payload);
    expect(b.sha256).toBe(pieces.hex());

    const copy = path.join(tmp.dir, 'old.db');
    await host.current().db.backup(copy);
    const db = new Database(copy);
    db.pragma('journal_mode = DELETE');
    db.close();
    for (const format of [1, 2]) {
      const old = path.join(tmp.dir, `old-release-${format}.aerisbak`);
      packArchive(copy, old, { schemaVersion: SCHEMA_VERSION, sessions: 3, messages: 12 }, format);
      const opened = await openArchive(old);
      expect(opened.manifest.checksum).toBe(format === 1 ? 'sha256' : 'sha256-8MiB-pieces');
      expect(opened.seal).toBeNull();
      const report = await service().verify(old);
      expect(report.ok).toBe(true);
      expect(report.checks.join(' ')).toMatch(/checksum: sha256 .* matches.*seal: none/);
      fillStore(host, 1, 1, 'after the old backup');
      await service().restore(old);
      expect(host.store.sessions.list().total).toBe(3);
    }
  });

  it('refuses to restore while a reply is streaming, and changes nothing', async () => {
    const b = await service().create();
    fillStore(host, 1, 1, 'newer');
    busy = true;
    const err = await service()
      .restore(b.path)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackupError);
    expect(err).toMatchObject({ reason: 'busy', code: 'conflict' });
    expect(host.store.sessions.list().total).toBe(4);
    expect(backupFiles()).toEqual([b.name]);
  });

  it('refuses to swap while another connection (another process) has the store open', async () => {
    const b = await service().create();
    fillStore(host, 1, 1, 'newer');
    const other = new Database(paths.dbFile);
    other.prepare('SELECT COUNT(*) FROM sessions').get();
    try {
      await expect(service().restore(b.path)).rejects.toMatchObject({ reason: 'in_use' });
    } finally {
      other.close();
    }
    expect(host.store.sessions.list().total).toBe(4);
  });

  describe('a full disk', () => {
    it('during a backup (compressed or not): a clear error, no file left, the store untouched', async () => {
      for (const [compress, limit] of [
        [true, 10],
        [false, 10],
      ] as const) {
        const svc = service({ io: fullDiskAfter(limit) });
        const err = await svc.create({ compress }).catch((e: unknown) => e);
        expect(err).toMatchObject({ reason: 'disk_full' });
        expect((err as Error).message).toMatch(/disk is full/);
        expect(backupFiles()).toEqual([]);
        expect(host.store.sessions.list().total).toBe(3);
        host.store.sessions.create({ title: 'still writable' });
        host.store.sessions.delete(host.store.sessions.list().sessions[0]!.id);
      }
    });

    it('is caught before starting when the volume says there is no room', async () => {
      const svc = service({ io: { ...fullDiskAfter(Infinity), freeBytes: () => 1024 } });
      await expect(svc.create()).rejects.toMatchObject({ reason: 'disk_full' });
      expect(backupFiles()).toEqual([]);
    });

    it('during a restore: a clear error and the store intact', async () => {
      const b = await service().create();
      fillStore(host, 1, 1, 'newer');
      const err = await service({ io: fullDiskAfter(4096) })
        .restore(b.path)
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ reason: 'disk_full' });
      expect(host.store.sessions.list().total).toBe(4);
      expect(backupFiles()).toEqual([b.name]);
      expect(fs.readdirSync(path.dirname(paths.dbFile)).filter((n) => n.startsWith('.'))).toEqual([]);
    });
  });

  it('exports to any folder and imports from it into another data dir', async () => {
    const b = await service().create();
    const usb = path.join(tmp.dir, 'usb');
    fs.mkdirSync(usb);
    const exported = await service().exportTo(b.name, usb);
    expect(path.dirname(exported)).toBe(usb);
    expect(fs.readFileSync(exported).equals(fs.readFileSync(b.path))).toBe(true);
    expect(fs.readdirSync(usb)).toEqual([path.basename(exported)]);

    const other = makeDataDir(path.join(tmp.dir, 'laptop2'), clock);
    try {
      const svc2 = new BackupService({ host: other.host, paths: other.paths, clock });
      const imported = await svc2.importFrom(exported);
      expect(path.dirname(imported.path)).toBe(other.paths.backupsDir);
      expect(imported.sha256).toBe(b.sha256);
      await svc2.restore(imported.name);
      expect(other.host.store.sessions.list().total).toBe(3);
      // A bad file is not imported.
      const junk = path.join(usb, 'junk.aerisbak');
      fs.writeFileSync(junk, 'junk');
      await expect(svc2.importFrom(junk)).rejects.toMatchObject({ reason: 'foreign' });
    } finally {
      other.host.current().close();
    }
  });

  it('retention: automatic backups older than 30 days go, manual ones and the newest stay', async () => {
    const svc = service();
    const start = clock.now();
    const made: Record<string, string> = {};
    for (const [label, daysAgo, kind] of [
      ['old-scheduled', 40, 'scheduled'],
      ['old-safety', 35, 'safety'],
      ['old-manual', 45, 'manual'],
      ['recent-scheduled', 10, 'scheduled'],
      ['new-scheduled', 0, 'scheduled'],
    ] as const) {
      clock.set(start - daysAgo * DAY_MS);
      made[label] = (await svc.create({ kind })).path;
    }
    clock.set(start);
    const deleted = await svc.prune();
    expect(deleted.sort()).toEqual([made['old-scheduled'], made['old-safety']].sort());
    const left = (await svc.list()).backups.map((b) => b.path);
    expect(left).toEqual([made['new-scheduled'], made['recent-scheduled'], made['old-manual']]);
    // With everything expired, the newest is still kept.
    clock.set(start + 400 * DAY_MS);
    await svc.prune();
    expect((await svc.list()).backups.map((b) => b.path)).toEqual([made['new-scheduled'], made['old-manual']]);
  });

  it('lists damaged files apart and never lists temp files', async () => {
    const b = await service().create();
    fs.writeFileSync(path.join(paths.backupsDir, 'broken.aerisbak'), fs.readFileSync(b.path).subarray(0, 100));
    fs.writeFileSync(path.join(paths.backupsDir, '.tmp-123.partial'), 'x');
    const { backups, damaged } = await service().list();
    expect(backups.map((x) => x.name)).toEqual([b.name]);
    expect(damaged.map((d) => [d.name, d.reason])).toEqual([['broken.aerisbak', 'truncated']]);
  });

  it('one backup at a time', async () => {
    const svc = service();
    const first = svc.create();
    await expect(svc.create()).rejects.toMatchObject({ reason: 'busy' });
    await first;
  });
});
