import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { openStore, type Store } from '../../store/store';
import { AirQualityCache } from './aq-cache';
import { ManualClock } from '../../../test/doubles/manual-clock';

describe('the air-quality cache on a full disk', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: Store;
  beforeEach(() => {
    tmp = makeTempDir();
    store = openStore(path.join(tmp.dir, 'aeris.db'), new ManualClock());
  });
  afterEach(() => {
    store.close();
    tmp.cleanup();
  });

  it('a fresh answer that cannot be cached is skipped, not an error; caching resumes with room', () => {
    const cache = new AirQualityCache(store.db, new ManualClock());
    const reading = { pm25: 38, note: 'n'.repeat(20_000) };
    // SQLite's page cap fails the write with the SQLITE_FULL a full disk gives.
    store.db.pragma(`max_page_count = ${store.db.pragma('page_count', { simple: true }) as number}`);
    expect(cache.put('kampala', 'reading', 'waqi', reading, 60_000)).toBe(false);
    expect(cache.getAny('kampala')).toBeNull();

    store.db.pragma('max_page_count = 1073741823');
    expect(cache.put('kampala', 'reading', 'waqi', reading, 60_000)).toBe(true);
    expect(cache.getAny<typeof reading>('kampala')?.value.pm25).toBe(38);
  });
});
