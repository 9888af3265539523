import { describe, expect, it } from 'vitest';
import { Gazetteer, haversineKm, normalizePlaceName } from './gazetteer';
import { findPlaces } from './place-finder';

const gaz = new Gazetteer();

describe('gazetteer (bundled GeoNames data)', () => {
  it('loads the bundled cities', () => {
    expect(gaz.size).toBeGreaterThan(20_000);
  });

  it('finds cities with coordinates and country, most populous first', () => {
    const k = gaz.lookup('Kampala')!;
    expect(k).toMatchObject({ name: 'Kampala', country: 'UG', countryName: 'Uganda', isAfrican: true });
    expect(haversineKm(k.latitude, k.longitude, 0.3476, 32.5825)).toBeLessThan(5);
    expect(gaz.lookup('paris')!.country).toBe('FR');
    expect(gaz.lookup('Paris, US')!.country).toBe('US');
    expect(gaz.lookup('London, Canada')!.country).toBe('CA');
    expect(gaz.lookup('São Paulo')!.country).toBe('BR');
    expect(gaz.lookup('sao paulo')!.country).toBe('BR');
    expect(gaz.lookup('Kampala city')!.name).toBe('Kampala');
    expect(gaz.lookup('Atlantis of the deep')).toBeNull();
  });

  it('tells African cities from others, including small AirQo towns', () => {
    for (const c of [
      'Kampala',
      'Nairobi',
      'Lagos',
      'Accra',
      'Jinja',
      'Fort Portal',
      'Kisumu',
      'Dar es Salaam',
      'Addis Ababa',
    ]) {
      expect(gaz.isAfricanCity(c), c).toBe(true);
    }
    for (const c of ['London', 'Delhi', 'Paris', 'Lima', 'Nowhere-on-Sea']) expect(gaz.isAfricanCity(c), c).toBe(false);
  });

  it('names the nearest place to a point', () => {
    expect(gaz.nearest(0.35, 32.58)!.place.name).toBe('Kampala');
  });

  it('normalises names', () => {
    expect(normalizePlaceName('  Dar-es-Salaam ')).toBe('dar es salaam');
  });
});

describe('place finder', () => {
  const names = (t: string) => findPlaces(t, gaz).map((f) => `${f.place.name}/${f.place.country}`);

  it('spots city names in a question', () => {
    expect(names('How is the air in Kampala now, and is it safe for the school run?')).toEqual(['Kampala/UG']);
    expect(names('Compare Nairobi and Dar es Salaam this week')).toEqual(['Nairobi/KE', 'Dar es Salaam/TZ']);
    expect(names('what is the aqi in new delhi today')).toEqual(['New Delhi/IN']);
  });

  it('ignores ordinary words that are also place names', () => {
    expect(names('Is it safe to go for a run? The air is nice today.')).toEqual([]);
    expect(names('What does PM2.5 mean?')).toEqual([]);
  });
});
