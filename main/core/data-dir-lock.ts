import fs from 'node:fs';
import path from 'node:path';
import { AppError } from './errors';
import { formatIdentity, identityAlive, parseIdentity, selfIdentity } from './process-identity';

/** The owner file in the data dir: one long-running shell (aeris serve, the desktop app) per data dir. */
export const LOCK_FILE = 'aeris.lock';

interface LockRecord {
  /** `host|pid|start` of the owning process (see process-identity). */
  owner: string;
  pid: number;
  shell: string;
  startedAt: string;
  /** Random per acquisition: a takeover can tell its own file from another's. */
  nonce: string;
}

export interface DataDirLock {
  readonly file: string;
  readonly record: LockRecord;
  release(): void;
}

interface LockOptions {
  shell: 'serve' | 'electron';
  /** Told when a stale lock (its owner gone) is taken over. */
  log?: (message: string, fields: Record<string, unknown>) => void;
  now?: () => Date;
}

function readRecord(file: string): LockRecord | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  try {
    const r = JSON.parse(text) as Partial<LockRecord>;
    if (typeof r.owner === 'string' && typeof r.pid === 'number' && typeof r.nonce === 'string') return r as LockRecord;
  } catch {
    // A lock cut off mid-write (the writer was killed): nobody can own it.
  }
  return 'unreadable';
}

/** The message a second shell prints: who holds the data dir, and what to do. */
function lockHeldMessage(dataDir: string, r: LockRecord): string {
  const who = r.shell === 'electron' ? 'the AERIS-AQ desktop app' : 'aeris serve';
  return (
    `The data dir ${dataDir} is already in use by ${who} (PID ${r.pid}, started ${r.startedAt}). ` +
    `Only one app or server may run on a data dir. Stop that one first (kill ${r.pid}, or quit the app), ` +
    `or start this one with another --data-dir. One-shot commands (aeris backup, aeris health, …) still work alongside. ` +
    `If no such process runs (the lock came with the folder from another computer), delete ${path.join(dataDir, LOCK_FILE)}.`
  );
}

/**
 * Tells this acquisition's lock file from any other's. It only has to differ, not be secret: Math.random rather
 * than node:crypto, which took ~2.5 ms of every start to load before the first answer.
 */
function uniqueTag(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;
}

/**
 * Takes the data dir for this process, or throws a `conflict` AppError naming the live owner. The file is
 * created with O_EXCL, so of two shells starting together one wins. A lock whose owner is gone (killed,
 * crashed, or its PID now belongs to another process) is taken over, and the takeover is logged.
 */
export function acquireDataDirLock(dataDir: string, opts: LockOptions): DataDirLock {
  const file = path.join(dataDir, LOCK_FILE);
  const me = selfIdentity();
  const record: LockRecord = {
    owner: formatIdentity(me),
    pid: me.pid,
    shell: opts.shell,
    startedAt: (opts.now?.() ?? new Date()).toISOString(),
    nonce: uniqueTag(),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o644);
      try {
        // No fsync: other processes read it from the page cache, and a lock cut short by a power loss (when no
        // owner can be alive) reads as unreadable and is taken over. It was a disk flush on every start.
        fs.writeSync(fd, JSON.stringify(record) + '\n');
      } finally {
        fs.closeSync(fd);
      }
      return {
        file,
        record,
        release() {
          // Only our own file: after a takeover by someone else it is theirs.
          const now = readRecord(file);
          if (typeof now === 'object' && now.nonce === record.nonce) fs.rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const held = readRecord(file);
    if (held === 'missing') continue;
    if (typeof held === 'object') {
      const owner = parseIdentity(held.owner);
      if (owner && owner.pid === me.pid && owner.host === me.host && held.owner === record.owner) {
        throw new AppError('conflict', `This process already holds the data dir ${dataDir}.`);
      }
      if (owner && identityAlive(owner)) {
        throw new AppError('conflict', lockHeldMessage(dataDir, held), { pid: held.pid, lockFile: file });
      }
    }
    // Stale: set it aside under a unique name (atomic), then try to create ours again.
    const aside = `${file}.stale-${uniqueTag()}`;
    try {
      fs.renameSync(file, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    fs.rmSync(aside, { force: true });
    opts.log?.('taking over a stale data-dir lock: its owner is no longer running', {
      lockFile: file,
      ...(typeof held === 'object'
        ? { pid: held.pid, shell: held.shell, startedAt: held.startedAt }
        : { unreadable: true }),
    });
  }
  throw new AppError('conflict', `Could not take the data dir lock ${file}: another process keeps changing it.`);
}
