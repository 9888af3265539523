import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataPaths } from '../../core/paths';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { DAY_MS } from '../time-stamps';
import { BackupScheduler } from './backup-scheduler';
import { BackupService } from './backup-service';
import { fillStore, makeDataDir } from './test-support/backup-test-kit';
import type { StoreHost } from '../../store/store-host';
import { ManualClock } from '../../../test/doubles/manual-clock';
import { ManualSchedule } from '../../../test/doubles/manual-schedule';

describe('BackupScheduler', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let clock: ManualClock;
  let paths: DataPaths;
  let host: StoreHost;
  beforeEach(() => {
    tmp = makeTempDir();
    clock = new ManualClock();
    ({ paths, host } = makeDataDir(tmp.dir, clock));
    fillStore(host, 2, 2);
  });
  afterEach(() => {
    host.current().close();
    tmp.cleanup();
  });

  it('backs up daily, waits while busy, and applies retention', async () => {
    const backups = new BackupService({ host, paths, clock, retentionDays: 3 });
    const schedule = new ManualSchedule();
    let busy = false;
    const scheduler = new BackupScheduler({ backups, clock, schedule: schedule.schedule, isBusy: () => busy });
    scheduler.start();
    const first = await scheduler.runIfDue(); // joins the run start() began
    expect(first).toMatchObject({ ran: true, backup: { kind: 'scheduled', sessions: 2 } });
    expect(await scheduler.runIfDue()).toEqual({ ran: false, why: 'not_due' });
    clock.advance(DAY_MS / 2);
    expect(await scheduler.runIfDue()).toEqual({ ran: false, why: 'not_due' });
    clock.advance(DAY_MS / 2);
    busy = true;
    expect(await scheduler.runIfDue()).toEqual({ ran: false, why: 'busy' });
    busy = false;
    for (let day = 0; day < 5; day++) {
      schedule.tick();
      expect(await scheduler.runIfDue()).toMatchObject({ ran: true }); // joins the run the tick started
      expect(await scheduler.runIfDue()).toEqual({ ran: false, why: 'not_due' });
      clock.advance(DAY_MS);
    }
    const { backups: kept } = await backups.list();
    // Six backups were made one day apart; a 3-day retention keeps those from the last 3 days.
    expect(kept.length).toBe(4);
    expect(kept.every((b) => b.kind === 'scheduled')).toBe(true);
    scheduler.stop();
    expect(schedule.size).toBe(0);
  });

  it('waits firstCheckDelayMs after start before its first look', async () => {
    const backups = new BackupService({ host, paths, clock });
    const schedule = new ManualSchedule();
    let started = 0;
    const look = new Promise<void>((resolve) => {
      const original = backups.list.bind(backups);
      backups.list = () => {
        started++;
        resolve();
        return original();
      };
    });
    const scheduler = new BackupScheduler({ backups, clock, schedule: schedule.schedule, firstCheckDelayMs: 50 });
    scheduler.start();
    expect(started).toBe(0); // nothing at start
    await look; // the delayed first look
    expect(await scheduler.runIfDue()).toMatchObject({ ran: true, backup: { kind: 'scheduled' } });
    scheduler.stop();
  });
});
