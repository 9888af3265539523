import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { ManualClock } from '../../test/doubles/manual-clock';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { openStore, type Store } from '../store/store';
import { DefraEmulator } from '../../e2e/emulators/defra-emulator';
import { NswEmulator } from '../../e2e/emulators/nsw-emulator';
import { AirQualityService } from './air-quality-service';
import { Gazetteer } from './gazetteer/gazetteer';
import { resolveLocation } from './my-location';
import { OfficialSources } from './official-sources';

const clock = new ManualClock(Date.UTC(2026, 0, 10, 11, 20, 0));
const defra = new DefraEmulator({ now: () => clock.now() });
const nsw = new NswEmulator({ now: () => clock.now() });
const gazetteer = new Gazetteer();
let tmp: ReturnType<typeof makeTempDir>;
let store: Store;
let service: AirQualityService;

beforeAll(async () => {
  await Promise.all([defra.start(), nsw.start()]);
});
afterAll(async () => {
  await Promise.all([defra.close(), nsw.close()]);
});
beforeEach(() => {
  tmp = makeTempDir();
  store = openStore(path.join(tmp.dir, 'aq.db'), clock);
  service = new AirQualityService({
    db: store.db,
    clock,
    gazetteer,
    retries: 0,
    env: { AERIS_DEFRA_URL: defra.baseUrl, AERIS_NSW_URL: nsw.url },
  });
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const resolve = (where: { query: string } | { latitude: number; longitude: number }) =>
  resolveLocation(gazetteer, service.cache, clock.now(), where);

describe('my location, resolved offline', () => {
  it('a typed town gives its coordinates and name; typed coordinates and an OS position give the nearest place', () => {
    const nairobi = resolve({ query: 'Nairobi' });
    expect(nairobi.label).toBe('Nairobi, Kenya');
    expect(nairobi.latitude).toBeCloseTo(-1.29, 1);
    expect(nairobi.place).toMatchObject({ name: 'Nairobi', country: 'Kenya', distanceKm: 0 });
    expect(nairobi.stations).toEqual([]);
    expect(nairobi.stationsNote).toMatch(/No station list has been fetched yet/);

    const typed = resolve({ query: '-1.30, 36.80' });
    expect(typed).toMatchObject({ latitude: -1.3, longitude: 36.8, label: '-1.3, 36.8' });
    expect(typed.place?.name).toBe('Nairobi');
    const os = resolve({ latitude: 51.5155, longitude: -0.1419 });
    expect(os.place?.name).toBe('London');
    expect(os.label).toBe('51.5155, -0.1419');
  });

  it('an unknown name and coordinates out of range are refused in words', () => {
    expect(() => resolve({ query: 'Zzyzxq' })).toThrow(/not in the offline gazetteer.*coordinates/);
    expect(() => resolve({ query: '95, 10' })).toThrow(/within ±90/);
  });

  it('the nearest stations come from the station lists fetched before, with their age, also when the source is down', async () => {
    const official = new OfficialSources(service);
    expect((await official.defraSites()).ok).toBe(true);
    expect((await official.nswSites()).ok).toBe(true);
    clock.advance(3 * 3_600_000);
    defra.faults.add({ kind: 'down' });
    nsw.faults.add({ kind: 'down' });
    const london = resolve({ query: 'London' });
    expect(london.stations.map((s) => s.name)).toEqual(['London Marylebone Road', 'London N. Kensington']);
    expect(london.stations[0]).toMatchObject({ network: 'UK-AIR (Defra)' });
    expect(london.stations[0]!.distanceKm).toBeLessThan(5);
    expect(london.stationsNote).toMatch(/UK-AIR \(Defra\) \(list from 3 hours ago\)/);
    const sydney = resolve({ query: 'Sydney' });
    expect(sydney.stations[0]).toMatchObject({ network: 'NSW Air Quality' });
    expect(sydney.stations.map((s) => s.name)).toContain('ROZELLE');
    expect(defra.requests.length + nsw.requests.length).toBe(2);
  });
});
