import fs from 'node:fs/promises';
import path from 'node:path';
import type { DiskInfo, ProbeResult } from './hardware-types';

export type StatFs = (dir: string) => Promise<{ bavail: number | bigint; bsize: number | bigint }>;

/** Free space for the models folder, measured at its nearest existing ancestor (it may not exist before the first pull). */
export async function probeDiskFree(
  modelsDir: string,
  statfs: StatFs = (d) => fs.statfs(d),
): Promise<ProbeResult<DiskInfo>> {
  let dir = path.resolve(modelsDir);
  for (;;) {
    try {
      const s = await statfs(dir);
      return { value: { modelsDir, freeBytes: Number(s.bavail) * Number(s.bsize) } };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const parent = path.dirname(dir);
      if (code === 'ENOENT' && parent !== dir) {
        dir = parent;
        continue;
      }
      return { value: { modelsDir, freeBytes: null }, reason: `free disk at ${modelsDir}: ${code ?? String(err)}` };
    }
  }
}
