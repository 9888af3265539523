import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from './temp-dir';

export type Tmpfs = { ok: true; dir: string; cleanup: () => void } | { ok: false; reason: string };

/**
 * A small real disk that fills up: a tmpfs of `size` (e.g. "20m"). Mounting needs root on Linux; elsewhere
 * the reason comes back so a suite can say why it skips.
 */
export function mountTmpfs(size: string): Tmpfs {
  if (process.platform !== 'linux') return { ok: false, reason: 'tmpfs mounts are Linux only' };
  const tmp = makeTempDir('aeris-tmpfs-');
  const dir = path.join(tmp.dir, 'disk');
  fs.mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    tmp.cleanup();
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    return { ok: false, reason: `cannot mount a tmpfs here (${stderr || (err as Error).message}); needs root` };
  }
  return {
    ok: true,
    dir,
    cleanup: () => {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      tmp.cleanup();
    },
  };
}

/** Bytes a non-root writer can still use on the disk holding `dir`. */
export function freeBytes(dir: string): number {
  const st = fs.statfsSync(dir);
  return Number(st.bavail) * Number(st.bsize);
}
