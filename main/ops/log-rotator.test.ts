import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { FileLogger } from './logger';
import { LogRotator, rotationFromEnv } from './log-rotator';
import { DAY_MS, dayStamp } from './time-stamps';
import { ManualClock } from '../../test/doubles/manual-clock';
import { ManualSchedule } from '../../test/doubles/manual-schedule';

describe('LogRotator', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let clock: ManualClock;
  const now = new Date(2026, 0, 10, 12, 0, 0).getTime(); // local noon: day arithmetic is TZ-proof
  const file = (name: string) => path.join(tmp.dir, name);
  const write = (name: string, content: string, mtime: number) => {
    fs.writeFileSync(file(name), content);
    fs.utimesSync(file(name), new Date(mtime), new Date(mtime));
  };
  const ls = () => fs.readdirSync(tmp.dir).sort();

  beforeEach(() => {
    tmp = makeTempDir();
    clock = new ManualClock(now);
  });
  afterEach(() => tmp.cleanup());

  it('rotates daily: a log last written yesterday is renamed with that day; today’s stays', async () => {
    write('app.log', 'yesterday\n', now - DAY_MS);
    write('access.log', 'today\n', now - 60_000);
    write('ollama.log', 'yesterday too\n', now - DAY_MS - 3600_000);
    const report = await new LogRotator({ logsDir: tmp.dir, clock }).rotateNow();
    const y = dayStamp(now - DAY_MS);
    expect(report.rotated.sort()).toEqual([`app.log.${y}`, `ollama.log.${y}`]);
    expect(ls()).toEqual(['access.log', `app.log.${y}`, `ollama.log.${y}`]);
    // A second pass in the same day does nothing.
    expect((await new LogRotator({ logsDir: tmp.dir, clock }).rotateNow()).rotated).toEqual([]);
  });

  it('rotates by size, numbering a second rotation the same day', async () => {
    const rotator = new LogRotator({ logsDir: tmp.dir, clock, policy: { maxBytes: 100 } });
    const t = dayStamp(now);
    write('errors.json', 'x'.repeat(150), now);
    write('app.log', 'small\n', now);
    expect((await rotator.rotateNow()).rotated).toEqual([`errors.json.${t}`]);
    write('errors.json', 'y'.repeat(150), now);
    expect((await rotator.rotateNow()).rotated).toEqual([`errors.json.${t}.1`]);
    expect(ls()).toEqual(['app.log', `errors.json.${t}`, `errors.json.${t}.1`]);
  });

  it('compresses after 7 days (keeping content and mtime) and deletes after 30', async () => {
    const d = (n: number) => dayStamp(now - n * DAY_MS);
    write(`app.log.${d(3)}`, 'three days\n', now - 3 * DAY_MS);
    write(`app.log.${d(8)}`, 'eight days\n', now - 8 * DAY_MS);
    write(`access.log.${d(20)}`, 'twenty days\n', now - 20 * DAY_MS);
    write(`app.log.${d(31)}`, 'old\n', now - 31 * DAY_MS);
    fs.writeFileSync(file(`app.log.${d(40)}.gz`), zlib.gzipSync('older\n'));
    fs.utimesSync(file(`app.log.${d(40)}.gz`), new Date(now - 40 * DAY_MS), new Date(now - 40 * DAY_MS));
    write(`app.log.${d(29)}.gz`, 'kept', now - 29 * DAY_MS);
    const report = await new LogRotator({ logsDir: tmp.dir, clock }).rotateNow();
    expect(report.compressed.sort()).toEqual([`access.log.${d(20)}.gz`, `app.log.${d(8)}.gz`]);
    expect(report.deleted.sort()).toEqual([`app.log.${d(31)}`, `app.log.${d(40)}.gz`].sort());
    expect(ls()).toEqual(
      [`access.log.${d(20)}.gz`, `app.log.${d(29)}.gz`, `app.log.${d(3)}`, `app.log.${d(8)}.gz`].sort(),
    );
    expect(zlib.gunzipSync(fs.readFileSync(file(`app.log.${d(8)}.gz`))).toString()).toBe('eight days\n');
    expect(Math.round(fs.statSync(file(`app.log.${d(8)}.gz`)).mtimeMs / 1000)).toBe(
      Math.round((now - 8 * DAY_MS) / 1000),
    );
  });

  it('follows a configured schedule', async () => {
    const d = (n: number) => dayStamp(now - n * DAY_MS);
    write(`app.log.${d(3)}`, 'three days\n', now - 3 * DAY_MS);
    const rotator = new LogRotator({ logsDir: tmp.dir, clock, policy: { compressAfterDays: 2, keepDays: 90 } });
    expect((await rotator.rotateNow()).compressed).toEqual([`app.log.${d(3)}.gz`]);
    expect(rotationFromEnv({ AERIS_LOG_MAX_MB: '5', AERIS_LOG_KEEP_DAYS: '14', AERIS_LOG_COMPRESS_DAYS: 'x' })).toEqual(
      {
        daily: true,
        maxBytes: 5 * 1048576,
        keepDays: 14,
        compressAfterDays: 7,
      },
    );
  });

  it('runs at start and on each tick; the logger keeps writing to a fresh file after a rotation', async () => {
    const schedule = new ManualSchedule();
    const logger = new FileLogger(tmp.dir, clock);
    logger.log('info', 'test', 'before midnight');
    fs.utimesSync(file('app.log'), new Date(now), new Date(now));
    const rotator = new LogRotator({ logsDir: tmp.dir, clock, schedule: schedule.schedule });
    const stop = rotator.start();
    expect(schedule.size).toBe(1);
    await rotator.rotateNow();
    expect(ls()).toEqual(['app.log']);
    clock.advance(DAY_MS);
    schedule.tick();
    await rotator.rotateNow();
    expect(ls()).toEqual([`app.log.${dayStamp(now)}`]);
    logger.log('info', 'test', 'after midnight');
    expect(fs.readFileSync(file('app.log'), 'utf8')).toContain('after midnight');
    expect(fs.readFileSync(file(`app.log.${dayStamp(now)}`), 'utf8')).toContain('before midnight');
    stop();
    expect(schedule.size).toBe(0);
  });
});
