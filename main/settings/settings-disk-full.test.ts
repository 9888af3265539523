import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { freeBytes, mountTmpfs } from '../../test/helpers/tmpfs';
import { explainDiskFull } from '../core/disk-full';
import { SettingsService } from './settings-service';

const disk = mountTmpfs('1m');

describe.skipIf(!disk.ok)(`saving settings on a full disk${disk.ok ? '' : ` (skipped: ${disk.reason})`}`, () => {
  const dir = disk.ok ? disk.dir : '';
  afterAll(() => {
    if (disk.ok) disk.cleanup();
  });

  it('refuses in words, keeps the saved settings whole, and saves once there is room', () => {
    const file = path.join(dir, 'config.json');
    const settings = new SettingsService(file);
    settings.update({ defaultModel: 'qwen2.5:3b' });
    const saved = fs.readFileSync(file, 'utf8');

    const filler = path.join(dir, 'filler.bin');
    fs.writeFileSync(filler, Buffer.alloc(freeBytes(dir)));
    const err = (() => {
      try {
        settings.update({ defaultModel: 'llama3.1:8b' });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(explainDiskFull(err, dir)).toMatchObject({ code: 'disk_full' });
    // Nothing half-written: the old file as it was, no temp file left behind, the old value in use.
    expect(fs.readFileSync(file, 'utf8')).toBe(saved);
    expect(fs.readdirSync(dir).sort()).toEqual(['config.json', 'filler.bin']);
    expect(settings.get().defaultModel).toBe('qwen2.5:3b');

    fs.rmSync(filler);
    expect(settings.update({ defaultModel: 'llama3.1:8b' }).defaultModel).toBe('llama3.1:8b');
  });
});
