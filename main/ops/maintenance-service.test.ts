import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { openStore, type Store } from '../store/store';
import { cleanupDaysFromEnv, MaintenanceService } from './maintenance-service';
import { DAY_MS } from './time-stamps';
import { ManualClock } from '../../test/doubles/manual-clock';
import { ManualSchedule } from '../../test/doubles/manual-schedule';

describe('MaintenanceService', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let clock: ManualClock;
  let store: Store;
  beforeEach(() => {
    tmp = makeTempDir();
    clock = new ManualClock();
    store = openStore(path.join(tmp.dir, 'data', 'aeris_agent.db'), clock);
  });
  afterEach(() => {
    store.close();
    tmp.cleanup();
  });

  const session = (title: string, daysAgo: number) => {
    const now = clock.now();
    clock.set(now - daysAgo * DAY_MS);
    const s = store.sessions.create({ title });
    store.messages.insert({ sessionId: s.id, role: 'user', content: `about ${title}` });
    clock.set(now);
    return s;
  };

  it('deletes sessions older than N days (30 by default) with their messages, sparing streaming ones', () => {
    session('old', 40);
    const streaming = session('old but streaming', 45);
    session('recent', 10);
    const m = new MaintenanceService({ store, clock, isStreaming: (id) => id === streaming.id });
    expect(m.cleanupSessions().deleted).toBe(1);
    expect(
      store.sessions
        .list()
        .sessions.map((s) => s.title)
        .sort(),
    ).toEqual(['old but streaming', 'recent']);
    expect(store.db.prepare(`SELECT COUNT(*) AS n FROM messages`).get()).toEqual({ n: 2 });
    expect(m.cleanupSessions(5).deleted).toBe(1);
    expect(() => m.cleanupSessions(0)).toThrow(/greater than 0/);
  });

  it('runs the cleanup at start and daily; 0 days turns it off', () => {
    session('old', 40);
    const schedule = new ManualSchedule();
    const m = new MaintenanceService({ store, clock, schedule: schedule.schedule });
    const stop = m.startDailyCleanup();
    expect(store.sessions.list().total).toBe(0);
    session('will age', 0);
    clock.advance(31 * DAY_MS);
    schedule.tick();
    expect(store.sessions.list().total).toBe(0);
    stop();
    expect(schedule.size).toBe(0);
    const off = new MaintenanceService({ store, clock, schedule: schedule.schedule, cleanupDays: 0 });
    off.startDailyCleanup();
    expect(schedule.size).toBe(0);
    expect(cleanupDaysFromEnv({ SESSION_CLEANUP_DAYS: '14' })).toBe(14);
    expect(cleanupDaysFromEnv({ AERIS_SESSION_CLEANUP_DAYS: '0' })).toBe(0);
    expect(cleanupDaysFromEnv({ AERIS_SESSION_CLEANUP_DAYS: 'x' })).toBe(30);
  });

  it('vacuums (refused while busy), checks integrity, checkpoints and reports the size', () => {
    for (let i = 0; i < 30; i++) session(`s${i} ${'x'.repeat(2000)}`, 100);
    let busy = true;
    const m = new MaintenanceService({ store, clock, isBusy: () => busy });
    m.cleanupSessions();
    expect(m.databaseSize().freeBytes).toBeGreaterThan(0);
    expect(() => m.vacuum()).toThrow(/still being written/);
    busy = false;
    const v = m.vacuum();
    expect(v.afterBytes).toBeLessThan(v.beforeBytes);
    const size = m.databaseSize();
    expect(size.freeBytes).toBe(0);
    expect(size.walBytes).toBe(0);
    expect(size.fileBytes).toBe(size.pageCount * size.pageSize);
    expect(m.integrityCheck()).toEqual({ ok: true, problems: [] });
    expect(m.integrityCheck(true).ok).toBe(true);
    store.sessions.create({ title: 'wal' });
    expect(m.checkpoint()).toMatchObject({ busy: false });
  });
});
