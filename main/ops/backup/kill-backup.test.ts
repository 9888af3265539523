import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { systemClock } from '../../core/clock';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { BackupService } from './backup-service';
import { makeDataDir } from './test-support/backup-test-kit';
import { ownerTag } from './owner-tag';

const CHILD = path.join(__dirname, 'test-support', 'kill-backup-child.ts');

/** Starts a backup in a child process and SIGKILLs it once it reports `phase`. */
function killDuring(
  root: string,
  phase: string,
  mode: 'gzip' | 'none',
): Promise<{ signal: string | null; seen: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, root, '24', mode, phase], {
      cwd: path.resolve(__dirname, '../../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let seen = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(new RegExp(`progress ${phase} ([1-9]\\d*) (\\d+)`));
      if (m && !seen) {
        seen = m[0];
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (!seen) reject(new Error(`child finished before phase ${phase}:\n${out.slice(-500)}\n${err.slice(-2000)}`));
      else resolve({ signal, seen });
    });
  });
}

describe('kill -9 during a backup', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeAll(() => {
    tmp = makeTempDir();
  });
  afterAll(() => tmp.cleanup());

  it('never leaves a listed backup behind, sweeps what it left, and the store survives', async () => {
    const root = path.join(tmp.dir, 'data');
    for (const [phase, mode] of [
      ['copy', 'none'], // checksumming alongside
      ['copy', 'gzip'], // checksumming and compressing alongside
      ['compress', 'gzip'], // the copy complete, compression still going
    ] as const) {
      const { signal } = await killDuring(root, phase, mode);
      expect(signal).toBe('SIGKILL');
    }
    const { paths, host } = makeDataDir(root, systemClock);
    try {
      const service = new BackupService({ host, paths, clock: systemClock });
      const left = fs.readdirSync(paths.backupsDir);
      expect(left.length).toBeGreaterThan(0); // the killed runs did leave partial files…
      // …under temporary names only. On a busy machine the kill can land after a file was complete (it then
      // even verifies), but before its rename: it is still never listed as a backup, and it is swept below.
      for (const name of left) expect(name).toMatch(/^\.tmp-o\d+\.\d+-/);
      expect((await service.list()).backups).toEqual([]);
      expect(host.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      // Left-overs of a dead process are swept at once, whatever their age; a live process's are not.
      const mine = path.join(paths.backupsDir, `.tmp-o${ownerTag()}-20260101-000000-abcdef.partial`);
      fs.writeFileSync(mine, 'being written');
      expect(service.cleanupStale().sort()).toEqual(left.map((n) => path.join(paths.backupsDir, n)).sort());
      expect(fs.readdirSync(paths.backupsDir)).toEqual([path.basename(mine)]);
      fs.rmSync(mine);
      // And a backup made now is good.
      expect((await service.verify((await service.create()).path)).ok).toBe(true);
    } finally {
      host.current().close();
    }
  }, 120_000);
});
