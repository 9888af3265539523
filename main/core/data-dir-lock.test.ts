import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from './clock';
import { acquireDataDirLock, LOCK_FILE } from './data-dir-lock';
import { formatIdentity, identityAlive, processStartOf, selfIdentity } from './process-identity';
import { openStore } from '../store/store';
import { makeTempDir } from '../../test/helpers/temp-dir';

const linux = process.platform === 'linux';

/** A real, live process that is not this one (its PID and start time are its identity). */
async function liveChild(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'process.stdout.write("up"); setInterval(() => {}, 1000)'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  return child;
}

describe('data dir lock (one long-running owner)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let child: ChildProcess | null = null;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
    }
    child = null;
    tmp.cleanup();
  });

  const writeLock = (owner: string, pid: number) =>
    fs.writeFileSync(
      path.join(tmp.dir, LOCK_FILE),
      JSON.stringify({ owner, pid, shell: 'serve', startedAt: '2026-01-01T00:00:00.000Z', nonce: 'x' }),
    );

  it('is taken, recorded with PID and start identity, and released', () => {
    const lock = acquireDataDirLock(tmp.dir, { shell: 'serve' });
    const rec = JSON.parse(fs.readFileSync(path.join(tmp.dir, LOCK_FILE), 'utf8')) as { owner: string; pid: number };
    expect(rec).toMatchObject({ pid: process.pid, owner: formatIdentity(selfIdentity()) });
    if (linux) expect(selfIdentity().start).toMatch(/^\d+$/);
    lock.release();
    expect(fs.existsSync(path.join(tmp.dir, LOCK_FILE))).toBe(false);
  });

  it('a live owner is refused with its PID and how to fix it', async () => {
    child = await liveChild();
    const owner = { host: os.hostname(), pid: child.pid!, start: processStartOf(child.pid!) };
    writeLock(formatIdentity(owner), child.pid!);
    expect(() => acquireDataDirLock(tmp.dir, { shell: 'serve' })).toThrow(
      new RegExp(`already in use by aeris serve \\(PID ${child.pid}.*Stop that one first`),
    );
  });

  it.skipIf(!linux)(
    'a live PID with another start time is a reused PID: the lock is stale and taken over',
    async () => {
      child = await liveChild();
      const realStart = processStartOf(child.pid!)!;
      const reused = { host: os.hostname(), pid: child.pid!, start: String(Number(realStart) - 1) };
      expect(identityAlive(reused)).toBe(false);
      writeLock(formatIdentity(reused), child.pid!);
      const logged: Array<[string, Record<string, unknown>]> = [];
      const lock = acquireDataDirLock(tmp.dir, { shell: 'serve', log: (m, f) => logged.push([m, f]) });
      expect(lock.record.pid).toBe(process.pid);
      expect(logged).toEqual([
        [expect.stringMatching(/stale data-dir lock/), expect.objectContaining({ pid: child.pid })],
      ]);
      lock.release();
    },
  );

  it('a dead owner or a half-written lock is taken over', async () => {
    child = await liveChild();
    const pid = child.pid!;
    const start = processStartOf(pid);
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    writeLock(formatIdentity({ host: os.hostname(), pid, start }), pid);
    const logged: string[] = [];
    acquireDataDirLock(tmp.dir, { shell: 'serve', log: (m) => logged.push(m) }).release();
    fs.writeFileSync(path.join(tmp.dir, LOCK_FILE), '{"owner":"ho');
    acquireDataDirLock(tmp.dir, { shell: 'electron', log: (m) => logged.push(m) }).release();
    expect(logged).toHaveLength(2);
  });
});

describe('stale streaming rows are judged by instance identity, not PID alone', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let child: ChildProcess | null = null;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
    }
    tmp.cleanup();
  });

  it('recovers a row whose PID is alive but belongs to another process; keeps the live owner’s', async () => {
    child = await liveChild();
    const file = path.join(tmp.dir, 'store.db');
    const store = openStore(file, systemClock);
    const s = store.sessions.create({ title: 't' });
    const row = (content: string) =>
      store.messages.insert({ sessionId: s.id, role: 'assistant', content, status: 'streaming' }).id;
    const reusedSelf = row('pid reused by this process');
    const reusedOther = row('pid reused by another live process');
    const liveOwner = row('written by a live app beside us');
    const legacy = row('from before identities, owner alive');
    const set = store.db.prepare('UPDATE messages SET owner_pid = ?, owner_instance = ? WHERE id = ?');
    const host = os.hostname();
    const childStart = processStartOf(child.pid!);
    // This process's PID, another instance: an earlier process that had our PID.
    set.run(process.pid, `${host}|${process.pid}|${linux ? '1' : ''}`, reusedSelf);
    set.run(child.pid, `${host}|${child.pid}|${linux ? String(Number(childStart) - 1) : ''}`, reusedOther);
    set.run(child.pid, `${host}|${child.pid}|${childStart ?? ''}`, liveOwner);
    set.run(child.pid, null, legacy);
    store.close();

    const again = openStore(file, systemClock);
    try {
      const status = (id: number) => again.messages.get(id)!.status;
      expect(status(reusedSelf)).toBe('interrupted');
      if (linux) expect(status(reusedOther)).toBe('interrupted');
      expect(status(liveOwner)).toBe('streaming');
      expect(status(legacy)).toBe('streaming');
      expect(again.messages.get(reusedSelf)!.content).toBe('pid reused by this process');
    } finally {
      again.close();
    }
  });
});
