import fs from 'node:fs';
import os from 'node:os';

/**
 * Who a process is, beyond its PID: PIDs are reused, so "PID 1234 is alive" does not mean the process
 * that wrote a lock or owns a streaming reply is. On Linux the kernel's start time of the process
 * (`/proc/<pid>/stat`, field 22, in clock ticks since boot) tells a reused PID apart; elsewhere it is
 * unknown and liveness falls back to the PID alone.
 */
interface ProcessIdentity {
  host: string;
  pid: number;
  /** The process's start time as the OS reports it; null where it cannot be read. */
  start: string | null;
}

/** Field 22 of /proc/<pid>/stat, counted after the command name (which may hold spaces and parentheses). */
export function processStartOf(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After ") " the fields start at field 3 (state); starttime is field 22.
    return fields[22 - 3] ?? null;
  } catch {
    return null;
  }
}

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let self: ProcessIdentity | null = null;

export function selfIdentity(): ProcessIdentity {
  self ??= { host: os.hostname(), pid: process.pid, start: processStartOf(process.pid) };
  return self;
}

/** `host|pid|start`: one string for a store column or a lock file. */
export function formatIdentity(id: ProcessIdentity): string {
  return `${id.host}|${id.pid}|${id.start ?? ''}`;
}

export function parseIdentity(s: string): ProcessIdentity | null {
  const m = /^(.*)\|(\d+)\|(\d*)$/.exec(s);
  if (!m) return null;
  return { host: m[1]!, pid: Number(m[2]), start: m[3] ? m[3] : null };
}

/**
 * Whether the process named by `id` still runs. Another host's process cannot be checked, so it counts as
 * alive (a data dir on a shared drive is never taken from a machine that may still use it). A PID that is
 * alive but started at another time than recorded is a reused PID: not the same process.
 */
export function identityAlive(id: ProcessIdentity, startOf: (pid: number) => string | null = processStartOf): boolean {
  if (id.host !== os.hostname()) return true;
  if (!pidAlive(id.pid)) return false;
  if (id.start === null) return true;
  const now = startOf(id.pid);
  return now === null || now === id.start;
}
