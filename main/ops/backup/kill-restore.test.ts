import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { systemClock } from '../../core/clock';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { createEngine } from '../../engine';
import { BackupService } from './backup-service';
import { fillStore, makeDataDir } from './test-support/backup-test-kit';
import { journalFile } from './restore-journal';
import { storeMarkerFile } from '../../store/store-check';
import { openStandaloneBackups } from './standalone';

const CHILD = path.join(__dirname, 'test-support', 'kill-restore-child.ts');

/** Restores `file` in a child process and SIGKILLs it when it prints a line matching `when`. */
function killWhen(root: string, file: string, stopAt: string, when: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, root, file, stopAt], {
      cwd: path.resolve(__dirname, '../../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let seen = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = when.exec(out);
      if (m && !seen) {
        seen = m[0];
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (!seen || signal !== 'SIGKILL')
        reject(new Error(`child was not killed at ${when}:\n${out}\n${err.slice(-2000)}`));
      else resolve(seen);
    });
  });
}

const sessionsIn = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM sessions').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('kill -9 during a restore', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let root: string;
  let backupFile: string;
  let dbFile: string;

  beforeEach(async () => {
    tmp = makeTempDir();
    root = path.join(tmp.dir, 'data');
    const { paths, host } = makeDataDir(root, systemClock);
    fillStore(host, 3, 4);
    backupFile = (await new BackupService({ host, paths, clock: systemClock }).create()).path;
    fillStore(host, 2, 2, 'after the backup'); // the store now holds 5 sessions, the backup 3
    host.close();
    dbFile = paths.dbFile;
  });
  afterEach(() => tmp.cleanup());

  const leftovers = () =>
    fs
      .readdirSync(path.dirname(dbFile))
      // The store's "created" marker is kept state, not debris.
      .filter((n) => n !== path.basename(storeMarkerFile(dbFile)))
      .filter((n) => n.startsWith('.') || n.includes('.replaced-') || n.includes('.corrupt-'));

  it('between the two renames (no store on disk): the next start puts the old store back', async () => {
    await killWhen(root, backupFile, 'old-moved-aside', /at old-moved-aside/);
    // The crash window is real: the store is gone from its place, a journal says what was under way.
    expect(fs.existsSync(dbFile)).toBe(false);
    expect(fs.existsSync(journalFile(dbFile))).toBe(true);
    const { backups, recovery, close } = openStandaloneBackups(root, systemClock);
    try {
      expect(recovery.action).toBe('rolled_back');
      expect(leftovers()).toEqual([]);
      expect(sessionsIn(dbFile)).toBe(5);
      // And the restore can simply be run again.
      await backups.restore(backupFile);
    } finally {
      close();
    }
    expect(sessionsIn(dbFile)).toBe(3);
  }, 60_000);

  it('between the two renames, then the app starts: the engine puts the old store back before opening it', async () => {
    await killWhen(root, backupFile, 'old-moved-aside', /at old-moved-aside/);
    expect(fs.existsSync(dbFile)).toBe(false);
    const engine = createEngine({ dataDir: root, ollamaHost: 'http://127.0.0.1:9', env: {} });
    try {
      expect(engine.store.sessions.list().total).toBe(5);
    } finally {
      await engine.close();
    }
    expect(leftovers()).toEqual([]);
    const log = fs.readFileSync(path.join(root, 'logs', 'app.log'), 'utf8');
    expect(log).toMatch(/interrupted restore.*rolled_back/);
  }, 60_000);

  it('after the journal, before any rename: nothing to undo but the scratch copy', async () => {
    await killWhen(root, backupFile, 'journal-written', /at journal-written/);
    expect(fs.readdirSync(path.dirname(dbFile)).some((n) => n.startsWith('.restore-o'))).toBe(true);
    const { recovery, close } = openStandaloneBackups(root, systemClock);
    close();
    expect(recovery.action).toBe('rolled_back');
    expect(leftovers()).toEqual([]);
    expect(sessionsIn(dbFile)).toBe(5);
  }, 60_000);

  it('after the copy is in place: the next start finishes the restore and clears the old files', async () => {
    await killWhen(root, backupFile, 'copy-moved-in', /at copy-moved-in/);
    expect(fs.readdirSync(path.dirname(dbFile)).some((n) => n.includes('.replaced-'))).toBe(true);
    const { recovery, close } = openStandaloneBackups(root, systemClock);
    close();
    expect(recovery.action).toBe('completed');
    expect(leftovers()).toEqual([]);
    expect(sessionsIn(dbFile)).toBe(3);
  }, 60_000);

  it('while unpacking: the scratch copy is swept at the next start, whatever its age', async () => {
    await killWhen(root, backupFile, 'extract', /at extract/);
    expect(fs.readdirSync(path.dirname(dbFile)).some((n) => n.startsWith('.restore-o'))).toBe(true);
    const { recovery, close } = openStandaloneBackups(root, systemClock);
    close();
    expect(recovery.action).toBe('none');
    expect(leftovers()).toEqual([]);
    expect(fs.readdirSync(path.join(root, 'backups')).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(sessionsIn(dbFile)).toBe(5);
  }, 60_000);
});
