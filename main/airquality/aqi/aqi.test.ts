import { describe, expect, it } from 'vitest';
import { computeAqi, ozoneAqi, so2Aqi, overallAqi, truncate, AqiError } from './epa-aqi';
import { nowCast } from './nowcast';
import { compareWithWho, toWhoUnits } from './who-guidelines';
import { indiaNaqiPm25, ukDaqiPm25, euEaqiPm25 } from './other-indices';
import { getHealthAdvice, parseGroup } from './health-advice';
import { parseCategory } from './categories';
import { parsePollutant, type Averaging, type Pollutant } from './breakpoints';

// Restated from the reference table, independently of breakpoints.ts: [BP_lo, BP_hi, I_lo, I_hi].
const EDGES: Array<{ p: Pollutant; avg: Averaging; step: number; bands: Array<[number, number, number, number]> }> = [
  {
    p: 'pm25',
    avg: '24h',
    step: 0.1,
    bands: [
      [0, 9.0, 0, 50],
      [9.1, 35.4, 51, 100],
      [35.5, 55.4, 101, 150],
      [55.5, 125.4, 151, 200],
      [125.5, 225.4, 201, 300],
      [225.5, 325.4, 301, 500],
    ],
  },
  {
    p: 'pm10',
    avg: '24h',
    step: 1,
    bands: [
      [0, 54, 0, 50],
      [55, 154, 51, 100],
      [155, 254, 101, 150],
      [255, 354, 151, 200],
      [355, 424, 201, 300],
      [425, 604, 301, 500],
    ],
  },
  {
    p: 'o3',
    avg: '8h',
    step: 0.001,
    bands: [
      [0, 0.054, 0, 50],
      [0.055, 0.07, 51, 100],
      [0.071, 0.085, 101, 150],
      [0.086, 0.105, 151, 200],
      [0.106, 0.2, 201, 300],
    ],
  },
  {
    p: 'o3',
    avg: '1h',
    step: 0.001,
    bands: [
      [0.125, 0.164, 101, 150],
      [0.165, 0.204, 151, 200],
      [0.205, 0.404, 201, 300],
      [0.405, 0.604, 301, 500],
    ],
  },
  {
    p: 'co',
    avg: '8h',
    step: 0.1,
    bands: [
      [0, 4.4, 0, 50],
      [4.5, 9.4, 51, 100],
      [9.5, 12.4, 101, 150],
      [12.5, 15.4, 151, 200],
      [15.5, 30.4, 201, 300],
      [30.5, 50.4, 301, 500],
    ],
  },
  {
    p: 'so2',
    avg: '1h',
    step: 1,
    bands: [
      [0, 35, 0, 50],
      [36, 75, 51, 100],
      [76, 185, 101, 150],
      [186, 304, 151, 200],
    ],
  },
  {
    p: 'so2',
    avg: '24h',
    step: 1,
    bands: [
      [305, 604, 201, 300],
      [605, 1004, 301, 500],
    ],
  },
  {
    p: 'no2',
    avg: '1h',
    step: 1,
    bands: [
      [0, 53, 0, 50],
      [54, 100, 51, 100],
      [101, 360, 101, 150],
      [361, 649, 151, 200],
      [650, 1249, 201, 300],
      [1250, 2049, 301, 500],
    ],
  },
];
const CATS = ['Good', 'Moderate', 'Unhealthy for Sensitive Groups', 'Unhealthy', 'Very Unhealthy', 'Hazardous'];
const catOf = (aqi: number) => CATS[[50, 100, 150, 200, 300, Infinity].findIndex((m) => aqi <= m)];
const fix = (x: number) => Number(x.toFixed(6));

describe('US EPA AQI (2024) band edges', () => {
  for (const { p, avg, step, bands } of EDGES) {
    describe(`${p} ${avg}`, () => {
      bands.forEach(([lo, hi, iLo, iHi], k) => {
        it(`band ${iLo}–${iHi}: ${lo} → ${iLo}, ${hi} → ${iHi}, and either side of the edges`, () => {
          const a = computeAqi(p, lo, avg);
          expect(a.aqi).toBe(iLo);
          expect(a.category).toBe(catOf(iLo));
          expect(computeAqi(p, hi, avg).aqi).toBe(iHi);
          expect(computeAqi(p, hi, avg).category).toBe(catOf(iHi));
          // Half a step above the top edge truncates back into this band.
          expect(computeAqi(p, fix(hi + step / 2), avg).aqi).toBe(iHi);
          // One step below the bottom edge is the previous band's top.
          if (k > 0) expect(computeAqi(p, fix(lo - step), avg).aqi).toBe(bands[k - 1]![3]);
          // One step above the top edge starts the next band.
          if (k < bands.length - 1) expect(computeAqi(p, fix(hi + step), avg).aqi).toBe(bands[k + 1]![2]);
        });
      });
    });
  }

  it('the reference truncation examples', () => {
    expect(computeAqi('pm25', 9.0).aqi).toBe(50);
    expect(computeAqi('pm25', 9.05).aqi).toBe(50);
    expect(computeAqi('pm25', 9.05).truncated).toBe(9.0);
    expect(computeAqi('pm25', 9.1).aqi).toBe(51);
    expect(computeAqi('pm25', 35.5).aqi).toBe(101);
    expect(computeAqi('pm25', 325.4).aqi).toBe(500);
  });

  it('truncates per pollutant, without binary noise', () => {
    expect(truncate(0.071, 3)).toBe(0.071);
    expect(computeAqi('o3', 0.0719, '8h').truncated).toBe(0.071);
    expect(computeAqi('pm10', 54.9).truncated).toBe(54);
    expect(computeAqi('pm10', 54.9).aqi).toBe(50);
    expect(computeAqi('co', 4.49).truncated).toBe(4.4);
    expect(computeAqi('no2', 53.99).aqi).toBe(50);
    expect(computeAqi('so2', 35.7).aqi).toBe(50);
  });

  it('interpolates and rounds inside a band, with colour', () => {
    const r = computeAqi('pm25', 20);
    expect(r.aqi).toBe(Math.round((49 / 26.3) * (20 - 9.1) + 51));
    expect(r).toMatchObject({ category: 'Moderate', color: '#FFFF00', unit: 'µg/m³', beyondIndex: false });
    expect(computeAqi('pm25', 150).color).toBe('#8F3F97');
  });

  it('extends past 500 instead of capping', () => {
    const r = computeAqi('pm25', 425.4);
    expect(r.aqi).toBe(Math.round((199 / 99.9) * (425.4 - 225.5) + 301));
    expect(r.aqi).toBeGreaterThan(500);
    expect(r.beyondIndex).toBe(true);
    expect(r.category).toBe('Hazardous');
    expect(computeAqi('pm10', 700).aqi).toBeGreaterThan(500);
    expect(computeAqi('so2', 1100, '24h').aqi).toBeGreaterThan(500);
    expect(computeAqi('o3', 0.7, '1h').aqi).toBeGreaterThan(500);
  });

  it('ozone: 8-hour stops at 300, 1-hour starts at 101, the higher of the two is reported', () => {
    expect(() => computeAqi('o3', 0.201, '8h')).toThrow(/1-hour/);
    expect(() => computeAqi('o3', 0.124, '1h')).toThrow(/8-hour/);
    expect(() => computeAqi('o3', 0.05, '24h')).toThrow(AqiError);
    expect(ozoneAqi({ eightHour: 0.08, oneHour: 0.17 })?.aqi).toBe(computeAqi('o3', 0.17, '1h').aqi);
    expect(ozoneAqi({ eightHour: 0.08, oneHour: 0.1 })?.aqi).toBe(computeAqi('o3', 0.08, '8h').aqi);
    expect(ozoneAqi({ eightHour: 0.25, oneHour: 0.45 })?.averaging).toBe('1h');
    expect(() => ozoneAqi({ eightHour: 0.25 })).toThrow(AqiError);
    expect(ozoneAqi({})).toBeNull();
  });

  it('SO2: 1-hour up to AQI 200, the 24-hour average above', () => {
    expect(() => computeAqi('so2', 305, '1h')).toThrow(/24-hour/);
    expect(so2Aqi({ oneHour: 200 }).aqi).toBe(computeAqi('so2', 200, '1h').aqi);
    expect(so2Aqi({ oneHour: 400, twentyFourHour: 350 }).aqi).toBe(computeAqi('so2', 350, '24h').aqi);
    expect(so2Aqi({ oneHour: 400, twentyFourHour: 150 }).aqi).toBe(200);
    expect(() => so2Aqi({ oneHour: 400 })).toThrow(AqiError);
    const low24 = computeAqi('so2', 100, '24h');
    expect(low24.aqi).toBe(computeAqi('so2', 100, '1h').aqi);
    expect(low24.notes.join(' ')).toMatch(/indicative/);
  });

  it('rejects bad values and notes non-standard averaging', () => {
    expect(() => computeAqi('pm25', -1)).toThrow(/negative/);
    expect(() => computeAqi('pm25', Number.NaN)).toThrow(/finite/);
    expect(computeAqi('pm25', 12, '1h').notes.join(' ')).toMatch(/NowCast/);
  });

  it('overall AQI is the highest sub-index', () => {
    const o = overallAqi([computeAqi('pm25', 40), computeAqi('o3', 0.06, '8h'), computeAqi('no2', 30)]);
    expect(o).toMatchObject({ dominant: 'pm25', aqi: computeAqi('pm25', 40).aqi });
    expect(overallAqi([])).toBeNull();
  });

  it('parses pollutant spellings', () => {
    expect(parsePollutant('PM2.5')).toBe('pm25');
    expect(parsePollutant('pm2_5')).toBe('pm25');
    expect(parsePollutant('Ozone')).toBe('o3');
    expect(parsePollutant('NO₂')).toBe('no2');
    expect(parsePollutant('pm1')).toBeNull();
  });
});

describe('NowCast', () => {
  // EPA's worked example (oldest → newest 50 80 75 90 82 53 64 74 21 10 16 13): w = 0.5, NowCast 17.4 µg/m³.
  const example = [13, 16, 10, 21, 74, 64, 53, 82, 90, 75, 80, 50];

  it('reproduces the EPA worked example', () => {
    const r = nowCast('pm25', example);
    expect(r.weight).toBe(0.5);
    expect(r.concentration).toBe(17.4);
    expect(r.aqi.aqi).toBe(Math.round((49 / 26.3) * (17.4 - 9.1) + 51));
    expect(r.aqi.aqi).toBe(66);
    expect(r.aqi.category).toBe('Moderate');
  });

  it('uses the plain average when values do not change', () => {
    const r = nowCast('pm25', Array(12).fill(20));
    expect(r.weight).toBe(1);
    expect(r.concentration).toBe(20);
  });

  it('weights by hours ago across gaps and needs 2 of the 3 newest hours', () => {
    const gappy = [10, null, 30, 40];
    const r = nowCast('pm25', gappy);
    const w = 1 - (40 - 10) / 40; // 0.25 → 0.5
    expect(w).toBeLessThan(0.5);
    const expected = (10 + 30 * 0.25 + 40 * 0.125) / (1 + 0.25 + 0.125);
    expect(r.raw).toBeCloseTo(expected, 10);
    expect(r.hoursUsed).toBe(3);
    expect(() => nowCast('pm25', [null, 12, null, 14, 15])).toThrow(/2 of the 3/);
    expect(() => nowCast('pm25', [12])).toThrow(/2 of the 3/);
    expect(nowCast('pm25', [null, 12, 13]).hoursUsed).toBe(2);
  });

  it('truncates PM10 to whole µg/m³ and handles all-zero windows', () => {
    const r = nowCast('pm10', [60.9, 60.9, 60.9]);
    expect(r.concentration).toBe(60);
    expect(nowCast('pm25', [0, 0, 0]).concentration).toBe(0);
    expect(() => nowCast('pm25', Array(13).fill(1))).toThrow(/12/);
  });
});

describe('WHO 2021 and other indices', () => {
  it('compares with guidelines and interim targets', () => {
    expect(compareWithWho('pm25', 12, '24h')).toMatchObject({ meetsGuideline: true, interimTargetMet: null });
    const c = compareWithWho('pm25', 40, '24h');
    expect(c).toMatchObject({ meetsGuideline: false, interimTargetMet: 'IT-2', guideline: 15 });
    expect(compareWithWho('pm25', 80, '24h').interimTargetMet).toBeNull();
    expect(compareWithWho('pm25', 80, '24h').summary).toMatch(/above every WHO interim target/);
    expect(compareWithWho('pm25', 8, 'annual').interimTargetMet).toBe('IT-4');
    expect(compareWithWho('pm10', 45, '24h').meetsGuideline).toBe(true);
    expect(compareWithWho('pm25', 20, '1h').notes[0]).toMatch(/indicative/);
  });

  it('converts EPA units for gases', () => {
    expect(toWhoUnits('no2', 24.45)).toBeCloseTo(46.01, 2);
    expect(toWhoUnits('co', 1)).toBeCloseTo(1.1456, 3);
    const o3 = compareWithWho('o3', 0.05, '8h', { epaUnits: true });
    expect(o3.value).toBeCloseTo(98.16, 1);
    expect(o3.meetsGuideline).toBe(true);
  });

  it('India NAQI bands', () => {
    expect(indiaNaqiPm25(30).category).toBe('Good');
    expect(indiaNaqiPm25(31).category).toBe('Satisfactory');
    expect(indiaNaqiPm25(60).category).toBe('Satisfactory');
    expect(indiaNaqiPm25(61).category).toBe('Moderately Polluted');
    expect(indiaNaqiPm25(90).category).toBe('Moderately Polluted');
    expect(indiaNaqiPm25(91).category).toBe('Poor');
    expect(indiaNaqiPm25(120).category).toBe('Poor');
    expect(indiaNaqiPm25(121).category).toBe('Very Poor');
    expect(indiaNaqiPm25(250).category).toBe('Very Poor');
    expect(indiaNaqiPm25(251).category).toBe('Severe');
  });

  it('UK DAQI bands 1–10', () => {
    const cases: Array<[number, number, string]> = [
      [0, 1, 'Low'],
      [11, 1, 'Low'],
      [12, 2, 'Low'],
      [23, 2, 'Low'],
      [24, 3, 'Low'],
      [35, 3, 'Low'],
      [36, 4, 'Moderate'],
      [41, 4, 'Moderate'],
      [42, 5, 'Moderate'],
      [47, 5, 'Moderate'],
      [48, 6, 'Moderate'],
      [53, 6, 'Moderate'],
      [54, 7, 'High'],
      [58, 7, 'High'],
      [59, 8, 'High'],
      [64, 8, 'High'],
      [65, 9, 'High'],
      [70, 9, 'High'],
      [71, 10, 'Very High'],
      [300, 10, 'Very High'],
    ];
    for (const [v, idx, band] of cases) expect(ukDaqiPm25(v), String(v)).toMatchObject({ value: idx, band });
  });

  it('EU EAQI bands', () => {
    const cases: Array<[number, string]> = [
      [0, 'Good'],
      [5, 'Good'],
      [5.1, 'Fair'],
      [15, 'Fair'],
      [15.1, 'Moderate'],
      [50, 'Moderate'],
      [50.1, 'Poor'],
      [90, 'Poor'],
      [90.1, 'Very poor'],
      [140, 'Very poor'],
      [140.1, 'Extremely poor'],
    ];
    for (const [v, cat] of cases) expect(euEaqiPm25(v).category, String(v)).toBe(cat);
  });
});

describe('health advice', () => {
  it('gives advice per category and group', () => {
    const a = getHealthAdvice('Unhealthy for Sensitive Groups', 'children')!;
    expect(a).toMatchObject({ categoryKey: 'usg', isSensitiveGroup: true, color: '#FF7E00' });
    expect(a.advice).toMatch(/Reduce prolonged or heavy exertion/);
    expect(getHealthAdvice('usg', 'general')!.advice).toMatch(/unlikely to be affected/);
    expect(getHealthAdvice(162, 'general')!.category).toBe('Unhealthy');
    expect(getHealthAdvice('hazardous', 'athletes')!.advice).toMatch(/Avoid all physical activity/);
    expect(getHealthAdvice('very unhealthy')!.cautionaryStatement).toMatch(/avoid all outdoor physical activity/);
    expect(getHealthAdvice('smoky')).toBeNull();
  });

  it('parses groups and categories leniently', () => {
    expect(parseGroup('asthma')).toBe('heart_lung');
    expect(parseGroup('older adults')).toBe('older_adults');
    expect(parseGroup(undefined)).toBe('general');
    expect(parseGroup('martians')).toBeNull();
    expect(parseCategory('VERY_UNHEALTHY')?.key).toBe('very_unhealthy');
    expect(parseCategory('600')?.key).toBe('hazardous');
  });
});
