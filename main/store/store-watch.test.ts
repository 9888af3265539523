import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { buildStore, corruptPage, leafPagesOf } from '../../test/helpers/damage-store';
import { quickCheckInWorker, StoreWatch } from './store-watch';
import { ManualClock } from '../../test/doubles/manual-clock';
import { ManualSchedule } from '../../test/doubles/manual-schedule';

describe('background store check', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let file: string;

  beforeEach(() => {
    tmp = makeTempDir();
    file = path.join(tmp.dir, 'data', 'aeris_agent.db');
    buildStore(file, new ManualClock(), 20, 30);
  });
  afterEach(() => tmp.cleanup());

  it('a sound store passes the worker quick_check', async () => {
    expect((await quickCheckInWorker(file)).problems).toEqual([]);
  });

  it('random bytes over a page, found by the scheduled check on a worker: the damage is reported once per run', async () => {
    const schedule = new ManualSchedule();
    const damage: string[] = [];
    const watch = new StoreWatch({ file: () => file, onDamage: (m) => damage.push(m), schedule: schedule.schedule });
    watch.start();
    expect(schedule.size).toBe(1);
    expect((await watch.runOnce())?.problems).toEqual([]);
    expect(damage).toEqual([]);

    const leaves = leafPagesOf(file, 'messages');
    corruptPage(file, leaves[Math.floor(leaves.length / 2)]!);
    schedule.tick();
    const result = await watch.runOnce(); // the run the tick started
    expect(result?.problems.length).toBeGreaterThan(0);
    expect(damage).toHaveLength(1);
    expect(damage[0]).toMatch(/damaged/);
    watch.stop();
    expect(schedule.size).toBe(0);
  });
});
