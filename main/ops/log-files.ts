import fs from 'node:fs';
import path from 'node:path';

/** The four logs, as the seed names them (plus the managed Ollama's output). */
export type LogFileKind = 'app' | 'errors' | 'access' | 'ollama';
export const LOG_FILES: Record<LogFileKind, string> = {
  app: 'app.log',
  errors: 'errors.json',
  access: 'access.log',
  ollama: 'ollama.log',
};
export const LOG_FILE_KINDS = Object.keys(LOG_FILES) as LogFileKind[];

/** A rotated log: `app.log.20260109`, a second one that day `app.log.20260109.1`, compressed `….gz`. */
interface RotatedLog {
  path: string;
  name: string;
  stamp: string;
  seq: number;
  gz: boolean;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Rotated copies of `base` in `logsDir`, oldest first. */
export function rotatedLogs(logsDir: string, base: string): RotatedLog[] {
  if (!fs.existsSync(logsDir)) return [];
  const re = new RegExp(`^${escape(base)}\\.(\\d{8})(?:\\.(\\d+))?(\\.gz)?$`);
  const out: RotatedLog[] = [];
  for (const name of fs.readdirSync(logsDir)) {
    const m = re.exec(name);
    if (m) out.push({ path: path.join(logsDir, name), name, stamp: m[1]!, seq: Number(m[2] ?? 0), gz: Boolean(m[3]) });
  }
  return out.sort((a, b) => a.stamp.localeCompare(b.stamp) || a.seq - b.seq);
}

/** The first free rotated name for `base` on `stamp` (the compressed form counts as taken). */
export function nextRotatedName(logsDir: string, base: string, stamp: string): string {
  for (let seq = 0; ; seq++) {
    const name = seq === 0 ? `${base}.${stamp}` : `${base}.${stamp}.${seq}`;
    if (!fs.existsSync(path.join(logsDir, name)) && !fs.existsSync(path.join(logsDir, `${name}.gz`))) return name;
  }
}
