import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { buildStore } from '../../test/helpers/damage-store';
import { checkStoreFile, markStoreCreated } from './store-check';
import { ManualClock } from '../../test/doubles/manual-clock';

describe('checkStoreFile', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let file: string;

  beforeEach(() => {
    tmp = makeTempDir();
    file = path.join(tmp.dir, 'data', 'aeris_agent.db');
    buildStore(file, new ManualClock(), 3, 4);
  });
  afterEach(() => tmp.cleanup());

  it('a sound store passes, with the time it took', () => {
    const r = checkStoreFile(file);
    expect(r.ok).toBe(true);
    expect(r.ms).toBeGreaterThanOrEqual(0);
  });

  it('an impossible page size in the header is damage', () => {
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.from([0x03, 0x00]), 0, 2, 16); // 768: not a power of two
    fs.closeSync(fd);
    expect(checkStoreFile(file)).toMatchObject({ ok: false, damage: 'bad_header' });
  });

  it('a file that is not a whole number of pages (cut short or padded) is damage', () => {
    fs.appendFileSync(file, Buffer.alloc(100));
    expect(checkStoreFile(file)).toMatchObject({ ok: false, damage: 'bad_header', message: /not a whole number/ });
    fs.truncateSync(file, 50);
    expect(checkStoreFile(file)).toMatchObject({ ok: false, damage: 'bad_header', message: /cut short/ });
  });

  it('missing or empty: damage only where a store existed before', () => {
    fs.rmSync(file);
    expect(checkStoreFile(file).ok).toBe(true);
    markStoreCreated(file);
    expect(checkStoreFile(file)).toMatchObject({ ok: false, damage: 'missing' });
    fs.writeFileSync(file, '');
    expect(checkStoreFile(file)).toMatchObject({ ok: false, damage: 'zero_length' });
    expect(checkStoreFile(file, { existedBefore: false }).ok).toBe(true);
  });
});
