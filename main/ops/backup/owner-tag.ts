import fs from 'node:fs';

/**
 * Temp files of a backup or restore carry their owner in their name: `<pid>.<start>` where `start` is the
 * process's start time (Linux: clock ticks since boot from /proc/<pid>/stat; elsewhere 0). A later start
 * sweeps any whose owner is gone, whatever their age, and never one a live process is still writing
 * (a PID reused by another process has another start time).
 */
interface Owner {
  pid: number;
  start: number;
}

function startOf(pid: number): number | null {
  if (process.platform !== 'linux') return 0;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]); // field 22, starttime
  } catch {
    return null;
  }
}

const thisOwner = (): Owner => ({ pid: process.pid, start: startOf(process.pid) ?? 0 });

/** `o` (e.g. "1234.5678") as written by `ownerTag`. */
export const ownerTag = (o: Owner = thisOwner()): string => `${o.pid}.${o.start}`;

const TAG = /(?:^|[-.])o(\d+)\.(\d+)-/;

/** The owner named in a temp file's name (`…o<pid>.<start>-…`), or null for names from older releases. */
export function ownerOf(name: string): Owner | null {
  const m = TAG.exec(name);
  return m ? { pid: Number(m[1]), start: Number(m[2]) } : null;
}

/** The process that wrote `o` is still running (same PID and the same start time). */
export function isAlive(o: Owner): boolean {
  try {
    process.kill(o.pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to another user, so it is alive.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = startOf(o.pid);
  return start === null ? false : o.start === 0 || start === 0 || start === o.start;
}
