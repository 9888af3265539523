/**
 * The one rule for readings that overlap: the same site, period, time and device arriving again (a
 * second export covering the same days, or the same data in another file).
 *
 * Per pollutant (PM2.5 and PM10 apart):
 * - a value beats no value;
 * - a calibrated value beats a raw one, whichever was imported first (AirQo's `pm2_5_calibrated_value`
 *   over `pm2_5_raw_value`);
 * - between two values of the same kind, the later import wins (a corrected re-export replaces the old).
 * The A/B channels, their flag and the EPA-corrected value travel with the PM2.5 value they belong to.
 * Humidity, temperature: the later import's when it has one. The row then belongs to the later file
 * (deleting that import removes it).
 */

/** A stored or incoming reading, in the columns the rule looks at. */
export interface OverlapRow {
  fileId: number;
  source: string;
  pm25: number | null;
  pm25Calibrated: boolean;
  pm10: number | null;
  pm10Calibrated: boolean;
  pm25A: number | null;
  pm25B: number | null;
  flag: string | null;
  pm25Epa: number | null;
  humidity: number | null;
  temperature: number | null;
}

type OverlapOutcome = 'unchanged' | 'replaced';

/** True when the incoming value of one pollutant takes the place of the stored one. */
function takes(incoming: number | null, incomingCal: boolean, stored: number | null, storedCal: boolean): boolean {
  if (incoming === null) return false;
  if (stored === null) return true;
  if (incomingCal !== storedCal) return incomingCal;
  return incoming !== stored;
}

/** The row to keep and whether anything changed. */
export function mergeOverlap(stored: OverlapRow, incoming: OverlapRow): { row: OverlapRow; outcome: OverlapOutcome } {
  const take25 = takes(incoming.pm25, incoming.pm25Calibrated, stored.pm25, stored.pm25Calibrated);
  const take10 = takes(incoming.pm10, incoming.pm10Calibrated, stored.pm10, stored.pm10Calibrated);
  const humidity = incoming.humidity ?? stored.humidity;
  const temperature = incoming.temperature ?? stored.temperature;
  const weather = humidity !== stored.humidity || temperature !== stored.temperature;
  if (!take25 && !take10 && !weather) return { row: stored, outcome: 'unchanged' };
  const pm25Part = take25
    ? {
        pm25: incoming.pm25,
        pm25Calibrated: incoming.pm25Calibrated,
        pm25A: incoming.pm25A,
        pm25B: incoming.pm25B,
        flag: incoming.flag,
        pm25Epa: incoming.pm25Epa,
      }
    : {
        pm25: stored.pm25,
        pm25Calibrated: stored.pm25Calibrated,
        pm25A: stored.pm25A,
        pm25B: stored.pm25B,
        flag: stored.flag,
        pm25Epa: stored.pm25Epa,
      };
  return {
    row: {
      fileId: incoming.fileId,
      source: incoming.source,
      ...pm25Part,
      pm10: take10 ? incoming.pm10 : stored.pm10,
      pm10Calibrated: take10 ? incoming.pm10Calibrated : stored.pm10Calibrated,
      humidity,
      temperature,
    },
    outcome: 'replaced',
  };
}
