import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../engine';
import { dispatch } from '../../api/dispatch';
import { createHandlers } from '../../api/handlers';
import { AppError } from '../../core/errors';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { corruptPage, leafPagesOf, overwriteBytes } from '../../../test/helpers/damage-store';
import { storeMarkerFile } from '../../store/store-check';
import { MemoryLogger } from '../../../test/doubles/memory-logger';

// No Ollama is needed: nothing here chats, and health reports Ollama as unreachable (still not "unhealthy").
const OFFLINE = 'http://127.0.0.1:9';

describe('recovery mode', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let dbFile: string;
  const open: Engine[] = [];
  const start = (): Engine => {
    const e = createEngine({ dataDir: tmp.dir, ollamaHost: OFFLINE, env: {}, logger: new MemoryLogger() });
    open.push(e);
    return e;
  };

  /** A store with conversations and a verified backup of it, then the engine closed. */
  async function storeWithBackup(): Promise<string> {
    const e = start();
    for (let i = 0; i < 30; i++) {
      const s = e.store.sessions.create({ title: `Gulu visit ${i}` });
      for (let m = 0; m < 20; m++) {
        e.store.messages.insert({ sessionId: s.id, role: 'user', content: `PM10 by the road was ${m} at visit ${i}` });
      }
    }
    e.store.messages.indexPending();
    const backup = await e.backups.create();
    await e.close();
    open.pop();
    return backup.name;
  }

  beforeEach(() => {
    tmp = makeTempDir();
    dbFile = path.join(tmp.dir, 'data', 'aeris_agent.db');
  });
  afterEach(async () => {
    for (const e of open.splice(0)) await e.close();
    tmp.cleanup();
  });

  it('garbage over the header: the engine starts in recovery mode, health says why, calls get 503, a backup brings it back without a restart', async () => {
    const name = await storeWithBackup();
    overwriteBytes(dbFile, 0, 100);

    const e = start();
    expect(e.recoveryState.current()).toMatchObject({ damage: 'bad_header' });
    const report = await e.health.check();
    expect(report.status).toBe('unhealthy');
    expect(report.recovery?.reason).toMatch(/start of the chat history file is damaged/);
    expect(report.checks.find((c) => c.id === 'store')).toMatchObject({ status: 'fail' });
    expect(report.database).toMatch(/^error: /);

    const h = createHandlers(e, 'serve');
    const refused = await dispatch(h, 'sessions.list', {}).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('store_damaged');
    const status = (await dispatch(h, 'recovery.status', {})) as {
      active: boolean;
      backups: { name: string; sessions: number }[];
    };
    expect(status.active).toBe(true);
    expect(status.backups[0]).toMatchObject({ name, sessions: 30, messages: 600 });

    const restored = (await dispatch(h, 'recovery.restore', { name })) as { keptAside: string };
    expect(restored.keptAside).toMatch(/aeris_agent\.db\.corrupt-/);
    expect(fs.existsSync(restored.keptAside)).toBe(true);
    expect(e.recoveryState.active).toBe(false);
    expect(((await dispatch(h, 'sessions.list', {})) as { total: number }).total).toBe(30);
    expect(e.store.messages.search('road').length).toBeGreaterThan(0);
    expect((await e.health.check()).checks.find((c) => c.id === 'store')?.status).toBe('ok');
    // No "safety" backup of the empty stand-in: the damaged store is kept aside instead, and the list stays true.
    const after = await e.backups.list();
    expect(after.backups.map((b) => b.kind)).not.toContain('safety');
    expect(fs.readdirSync(path.dirname(dbFile)).filter((f) => f.includes('.replaced-'))).toEqual([]);
  });

  it('a zero-length store where one existed is damage, not a new empty store', async () => {
    await storeWithBackup();
    expect(fs.existsSync(storeMarkerFile(dbFile))).toBe(true);
    fs.truncateSync(dbFile, 0);
    fs.rmSync(`${dbFile}-wal`, { force: true });
    const e = start();
    expect(e.recoveryState.current()).toMatchObject({ damage: 'zero_length' });
    expect(fs.statSync(dbFile).size).toBe(0);
    expect((await e.health.check()).status).toBe('unhealthy');
  });

  it('an empty store file from before the marker existed, where onboarding was done, is damage too', () => {
    fs.mkdirSync(path.dirname(dbFile), { recursive: true });
    fs.writeFileSync(path.join(tmp.dir, 'config.json'), JSON.stringify({ onboardingDone: true }));
    fs.writeFileSync(dbFile, '');
    const e = start();
    expect(e.recoveryState.current()).toMatchObject({ damage: 'zero_length' });
  });

  it('the background check finds damage done while the engine runs and flips it into recovery mode', async () => {
    const e = start();
    const s = e.store.sessions.create({ title: 'Lira' });
    for (let m = 0; m < 2000; m++) e.store.messages.insert({ sessionId: s.id, role: 'user', content: `reading ${m}` });
    e.store.db.pragma('wal_checkpoint(TRUNCATE)');
    expect((await e.storeWatch.runOnce())?.problems).toEqual([]);
    expect(e.recoveryState.active).toBe(false);

    const leaves = leafPagesOf(dbFile, 'messages');
    corruptPage(dbFile, leaves[Math.floor(leaves.length / 2)]!);
    const found = await e.storeWatch.runOnce();
    expect(found?.problems.length).toBeGreaterThan(0);
    expect(e.recoveryState.current()).toMatchObject({ damage: 'corrupt' });
    expect((await e.health.check()).status).toBe('unhealthy');
    const h = createHandlers(e, 'serve');
    await expect(dispatch(h, 'sessions.list', {})).rejects.toMatchObject({ code: 'store_damaged' });
    // No daily backup of the empty stand-in while in recovery mode (no backup existed, so one is due).
    expect(await e.backupScheduler.runIfDue()).toMatchObject({ ran: false, why: 'busy' });
    // Salvage from here brings the engine back on a good file.
    await dispatch(h, 'recovery.salvage', {});
    expect(e.recoveryState.active).toBe(false);
    expect(e.store.sessions.list(1).total).toBe(1);
  });

  it('a brand-new data dir is not damage', () => {
    const e = start();
    expect(e.recoveryState.active).toBe(false);
    expect(fs.existsSync(storeMarkerFile(dbFile))).toBe(true);
  });

  it('random bytes over a page: found by the start-up quick_check; salvage keeps the rest and leaves recovery mode', async () => {
    const name = await storeWithBackup();
    const leaves = leafPagesOf(dbFile, 'messages');
    corruptPage(dbFile, leaves[Math.floor(leaves.length / 2)]!);

    const e = start();
    expect(e.recoveryState.current()).toMatchObject({ damage: 'corrupt' });
    expect((await e.health.check()).status).toBe('unhealthy');
    const h = createHandlers(e, 'serve');
    const result = (await dispatch(h, 'recovery.salvage', {})) as {
      tables: { table: string; kept: number; lost: number | null }[];
      keptAside: string;
    };
    const messages = result.tables.find((t) => t.table === 'messages')!;
    expect(messages.kept).toBeGreaterThan(500);
    expect(messages.kept + messages.lost!).toBe(600);
    expect(fs.existsSync(result.keptAside)).toBe(true);
    expect(e.recoveryState.active).toBe(false);
    expect(e.store.sessions.list(1).total).toBe(30);
    expect((await e.health.check()).checks.find((c) => c.id === 'store')?.status).toBe('ok');
    // The backup made before the damage is still there for later.
    expect((await e.backups.list()).backups.map((b) => b.name)).toContain(name);
  });

  it('the start-up quick_check runs on the store connection before it writes: a damaged file is left as it was', async () => {
    await storeWithBackup();
    const leaves = leafPagesOf(dbFile, 'messages');
    corruptPage(dbFile, leaves[Math.floor(leaves.length / 2)]!);
    const damaged = fs.readFileSync(dbFile);
    const e = start();
    expect(e.recoveryState.current()).toMatchObject({ damage: 'corrupt' });
    expect(e.recoveryState.current()?.reason).toMatch(/^Part of the chat history file is damaged \(/);
    expect(fs.readFileSync(dbFile).equals(damaged)).toBe(true);
  });

  it('a backup that fails verification is refused and nothing changes', async () => {
    const name = await storeWithBackup();
    const backupFile = path.join(tmp.dir, 'backups', name);
    overwriteBytes(backupFile, Math.floor(fs.statSync(backupFile).size / 2), 64);
    overwriteBytes(dbFile, 0, 100);
    const damaged = fs.readFileSync(dbFile);
    const e = start();
    const h = createHandlers(e, 'serve');
    await expect(dispatch(h, 'recovery.restore', { name })).rejects.toThrow(/cannot be restored/);
    expect(e.recoveryState.active).toBe(true);
    expect(fs.readFileSync(dbFile).equals(damaged)).toBe(true);
  });

  it('a path instead of a backup name is refused by the contract', async () => {
    overwriteBytes((await storeWithBackup(), dbFile), 0, 100);
    const h = createHandlers(start(), 'serve');
    await expect(dispatch(h, 'recovery.restore', { name: '/etc/x.aerisbak' })).rejects.toThrow(/Invalid input/);
  });
});
