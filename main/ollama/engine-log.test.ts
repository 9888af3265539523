import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { ManualClock } from '../../test/doubles/manual-clock';
import { LogRotator } from '../ops/log-rotator';
import { dayStamp } from '../ops/time-stamps';
import { EngineLog } from './engine-log';

describe('EngineLog', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('is rotated by the one log scheme, and writes on into a fresh file after a rotation', async () => {
    const now = new Date(2026, 0, 10, 12, 0, 0).getTime();
    const file = path.join(tmp.dir, 'ollama.log');
    const log = new EngineLog(file);
    for (let i = 0; i < 5; i++) log.write(`line ${i} ${'x'.repeat(40)}\n`);
    expect(log.tail(2)).toEqual([`line 3 ${'x'.repeat(40)}`, `line 4 ${'x'.repeat(40)}`]);

    const rotator = new LogRotator({ logsDir: tmp.dir, clock: new ManualClock(now), policy: { maxBytes: 100 } });
    expect((await rotator.rotateNow()).rotated).toEqual([`ollama.log.${dayStamp(now)}`]);
    expect(log.tail()).toEqual([]);

    log.write('after the rotation\n');
    expect(log.tail()).toEqual(['after the rotation']);
    expect(fs.readFileSync(path.join(tmp.dir, `ollama.log.${dayStamp(now)}`), 'utf8')).toMatch(/^line 0/);
  });

  it('keeps the supervisor going when the log cannot be written', () => {
    const log = new EngineLog(path.join(tmp.dir, 'ollama.log'));
    fs.mkdirSync(path.join(tmp.dir, 'ollama.log')); // a directory where the file should be
    expect(() => log.write('lost\n')).not.toThrow();
    expect(log.tail()).toEqual([]);
  });
});
