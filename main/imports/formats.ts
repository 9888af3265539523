import { engineMessage } from '../../preload/shared/engine-messages';
import { channelsAgree, epaCorrection, fahrenheitToCelsius } from './purpleair';
import {
  RowError,
  meanOf,
  parseCoordinates,
  parseNumber,
  parsePm,
  parseTimestamp,
  round2,
  type CoordinateIssue,
  type NaiveTime,
} from './values';

export const IMPORT_FORMATS = ['purpleair', 'airqo', 'generic', 'openaq'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * What one row stands for: `raw` a sample (averaged into hours, then days), `hourly` an hour's mean,
 * `daily` a day's mean (counted as that day's figure, never as one hour of it).
 */
export type Period = 'raw' | 'hourly' | 'daily';

/** One row of any format, in the store's terms (µg/m³, °C, %, epoch ms UTC). */
export interface Reading {
  site: string;
  /** The sensor (AirQo `device_name`); '' when the file names none. */
  device: string;
  period: Period;
  latitude: number | null;
  longitude: number | null;
  /** Set when the row had coordinates that were refused; the reading itself is kept. */
  coordinateIssue: CoordinateIssue | null;
  time: number;
  pm25: number | null;
  pm10: number | null;
  /** The value came from a calibrated column (AirQo `pm2_5_calibrated_value`): it beats a raw one. */
  pm25Calibrated: boolean;
  pm10Calibrated: boolean;
  /** The two channels the A/B check compared (PurpleAir pm2_5_cf_1 A/B, AirQo s1/s2). */
  pm25A: number | null;
  pm25B: number | null;
  /** `ab_disagree` when the channels fail the agreement rule; such rows are kept but left out of means. */
  flag: string | null;
  /** US EPA corrected PM2.5 (PurpleAir only; US-derived). */
  pm25Epa: number | null;
  humidity: number | null;
  temperature: number | null;
}

/** Turns the fields of one data row into a Reading, or throws RowError with the reason. */
export type RowMapper = (fields: string[]) => Reading;

interface MapperOptions {
  /** Site name for files that carry none (PurpleAir SD cards name only the device). */
  siteName?: string;
  /** The file's name, the last resort for a site name. */
  fileName: string;
  /** Reads timestamps that carry no zone (default UTC). */
  naive?: NaiveTime;
}

/** A frequency/averaging cell as a period; RowError for a value that is none of them. */
function parsePeriod(text: string | undefined): Period | null {
  if (text === undefined) return null;
  const v = text
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
  if (v === '') return null;
  if (/^(daily|day|1day|1d|24h|24hr|24hour|24hours|p1d)$/.test(v)) return 'daily';
  if (/^(hourly|hour|1hour|1h|1hr|60min|60minutes|pt1h)$/.test(v)) return 'hourly';
  if (/^(raw|instant|instantaneous|sample|minute|\d+(s|sec|min|minutes?))$/.test(v)) return 'raw';
  throw new RowError(
    `unknown frequency "${text.trim().slice(0, 20)}" (expected raw, hourly or daily)`,
    engineMessage('importRow.frequency', { value: text.trim().slice(0, 20) }),
  );
}

/** Lower-case, `pm2.5 (µg/m³)` → `pm2_5`, spaces and dots to underscores. */
export function normalizeHeader(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/\(.*?\)|\[.*?\]/g, '')
    .replace(/[\s.\-/]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

type Index = Map<string, number>;

const indexOf = (headers: string[]): Index => {
  const idx: Index = new Map();
  headers.forEach((h, i) => {
    const k = normalizeHeader(h);
    if (k && !idx.has(k)) idx.set(k, i);
  });
  return idx;
};

/** Column positions of the first aliases present, in priority order. */
const find = (idx: Index, aliases: readonly string[]): number[] =>
  aliases.map((a) => idx.get(a)).filter((i): i is number => i !== undefined);

/** The first non-empty cell among `cols`. */
const firstCell = (fields: string[], cols: number[]): string | undefined => {
  for (const c of cols) {
    const v = fields[c];
    if (v === undefined || v === '') continue;
    // Only short cells can be NA markers; most cells skip the regex.
    if (v.length <= 6 && /^\s*(na|n\/a|nan|null|none|-*)\s*$/i.test(v)) continue;
    return v;
  }
  return undefined;
};

/** The first column among `cols` whose cell is not empty (what {@link firstCell} read). */
const firstColumn = (fields: string[], cols: number[]): number | undefined => {
  for (const c of cols) if (firstCell(fields, [c]) !== undefined) return c;
  return undefined;
};

/** Column aliases. AirQo's export names vary by product and year; the calibrated value wins over the raw one. */
const ALIASES = {
  time: ['datetime', 'timestamp', 'time', 'date_time', 'utcdatetime', 'date', 'created_at', 'timestamp_utc'],
  site: ['site_name', 'site', 'location', 'location_name', 'station', 'station_name', 'site_id'],
  device: ['device_name', 'device', 'device_id', 'device_number', 'sensor', 'sensor_id'],
  latitude: ['latitude', 'site_latitude', 'device_latitude', 'approximate_latitude', 'lat'],
  longitude: ['longitude', 'site_longitude', 'device_longitude', 'approximate_longitude', 'lon', 'lng', 'long'],
  frequency: ['frequency', 'averaging', 'averaging_period', 'averaging_time', 'avg_period'],
  pm25Calibrated: ['pm2_5_calibrated_value', 'pm2_5_calibrated', 'calibrated_pm2_5'],
  pm10Calibrated: ['pm10_calibrated_value', 'pm10_calibrated', 'calibrated_pm10'],
  pm25: [
    'pm2_5_calibrated_value',
    'pm2_5_calibrated',
    'calibrated_pm2_5',
    'pm2_5',
    'pm25',
    'pm2_5_value',
    'pm2_5_raw_value',
    'raw_pm2_5',
  ],
  pm10: [
    'pm10_calibrated_value',
    'pm10_calibrated',
    'calibrated_pm10',
    'pm10',
    'pm10_value',
    'pm10_raw_value',
    'raw_pm10',
  ],
  s1pm25: ['s1_pm2_5', 's1_pm25', 'sensor1_pm2_5'],
  s2pm25: ['s2_pm2_5', 's2_pm25', 'sensor2_pm2_5'],
  s1pm10: ['s1_pm10', 'sensor1_pm10'],
  s2pm10: ['s2_pm10', 'sensor2_pm10'],
  temperature: ['temperature', 'device_temperature', 'external_temperature', 'temp', 'temperature_c'],
  humidity: ['humidity', 'device_humidity', 'external_humidity', 'relative_humidity', 'rh'],
} as const;

/** Picks the format from the header row, or null when the columns are not recognised. */
export function detectFormat(headers: string[]): ImportFormat | null {
  const idx = indexOf(headers);
  const has = (k: string) => idx.has(k);
  // SD-card logs name channel A bare and B with `_b`; the API's history CSV names both (`pm2.5_atm_a`).
  if (
    ['pm2_5_atm', 'pm2_5_cf_1', 'pm2_5_atm_a', 'pm2_5_cf_1_a'].some(has) ||
    (has('utcdatetime') && has('mac_address'))
  )
    return 'purpleair';
  // OpenAQ exports are long: one row per location, time and parameter.
  if (has('parameter') && has('value') && ['location_id', 'location', 'location_name'].some(has)) return 'openaq';
  if (
    ['device_name', 'site_name', 'pm2_5_calibrated_value', 'pm2_5_raw_value', 's1_pm2_5', 'frequency'].some(has) &&
    find(idx, ALIASES.time).length > 0
  ) {
    return 'airqo';
  }
  if (
    find(idx, ALIASES.time).length > 0 &&
    (find(idx, ALIASES.pm25).length > 0 || find(idx, ALIASES.pm10).length > 0)
  ) {
    return 'generic';
  }
  return null;
}

/** A file whose header does not fit the chosen format: fatal for the import, with the reason. */
export class HeaderError extends Error {}

function need(idx: Index, aliases: readonly string[], what: string, format: string): number {
  const cols = find(idx, aliases);
  if (cols.length === 0) throw new HeaderError(`${format} file needs a ${what} column (one of: ${aliases.join(', ')})`);
  return cols[0]!;
}

function purpleAirMapper(headers: string[], opts: MapperOptions): RowMapper {
  const idx = indexOf(headers);
  const tCol = need(idx, ['utcdatetime', 'datetime', 'timestamp', 'time_stamp'], 'UTCDateTime', 'PurpleAir');
  const col = (...keys: string[]) => keys.map((k) => idx.get(k)).find((i) => i !== undefined);
  // SD card: `mac_address`; the API's history CSV: `sensor_index`.
  const macCol = col('mac_address', 'sensor_index');
  const [aCf1, bCf1, aAtm, bAtm] = [
    col('pm2_5_cf_1', 'pm2_5_cf_1_a'),
    col('pm2_5_cf_1_b'),
    col('pm2_5_atm', 'pm2_5_atm_a'),
    col('pm2_5_atm_b'),
  ];
  const [a10, b10] = [col('pm10_0_atm', 'pm10_0_atm_a'), col('pm10_0_atm_b')];
  // Both write °F and %: the SD card as current_temp_f/current_humidity, the API as temperature/humidity.
  const [tempCol, rhCol] = [col('current_temp_f', 'temperature'), col('current_humidity', 'humidity')];
  if (aAtm === undefined && aCf1 === undefined) {
    throw new HeaderError('PurpleAir file needs pm2_5_atm or pm2_5_cf_1 columns');
  }
  const cell = (f: string[], i: number | undefined) => (i === undefined ? undefined : f[i]);
  return (f) => {
    const time = parseTimestamp(f[tCol] ?? '', opts.naive);
    const mac = cell(f, macCol)?.trim();
    const site = opts.siteName ?? (mac ? `PurpleAir ${mac}` : opts.fileName);
    const cfA = parsePm(cell(f, aCf1), 'pm2_5_cf_1');
    const cfB = parsePm(cell(f, bCf1), 'pm2_5_cf_1_b');
    const atA = parsePm(cell(f, aAtm), 'pm2_5_atm');
    const atB = parsePm(cell(f, bAtm), 'pm2_5_atm_b');
    const pm25 = meanOf(atA, atB) ?? meanOf(cfA, cfB);
    const pm10 = meanOf(parsePm(cell(f, a10), 'pm10_0_atm'), parsePm(cell(f, b10), 'pm10_0_atm_b'));
    if (pm25 === null && pm10 === null)
      throw new RowError('no PM2.5 or PM10 value', engineMessage('importRow.noPm', {}));
    // The EPA's QA compares the cf_1 channels; a single-channel sensor (no B) cannot be checked.
    const chA = cfA ?? atA;
    const chB = cfB ?? atB;
    const flag = chA !== null && chB !== null && !channelsAgree(chA, chB) ? 'ab_disagree' : null;
    const tempF = parseNumber(cell(f, tempCol), 'current_temp_f');
    const rh = parseNumber(cell(f, rhCol), 'current_humidity');
    const cf1 = meanOf(cfA, cfB);
    const pm25Epa =
      flag === null && cf1 !== null && rh !== null ? round2(epaCorrection(cf1, rh, meanOf(atA, atB) ?? cf1)) : null;
    return {
      site,
      device: mac ?? '',
      period: 'raw',
      latitude: null,
      longitude: null,
      coordinateIssue: null,
      time,
      pm25: pm25 === null ? null : round2(pm25),
      pm10: pm10 === null ? null : round2(pm10),
      pm25Calibrated: false,
      pm10Calibrated: false,
      pm25A: chA,
      pm25B: chB,
      flag,
      pm25Epa,
      humidity: rh,
      temperature: tempF === null ? null : round2(fahrenheitToCelsius(tempF)),
    };
  };
}

const OPENAQ_PARAMETERS: Record<string, 'pm25' | 'pm10'> = {
  pm25: 'pm25',
  pm2_5: 'pm25',
  'pm2.5': 'pm25',
  pm10: 'pm10',
};

/**
 * OpenAQ's CSV exports, long (one row per location, time and parameter): its open-data archive
 * (`location_id, sensors_id, location, datetime, lat, lon, parameter, units, value`, datetime with the local
 * offset) and the Explorer download (`location_id, location_name, parameter, value, unit, datetimeUtc,
 * datetimeLocal, timezone, latitude, longitude, …`). Rows of one location and time become one reading (the
 * store merges PM2.5 and PM10 by the overlap rule); parameters other than PM are refused row by row.
 */
function openAqMapper(headers: string[], opts: MapperOptions): RowMapper {
  const idx = indexOf(headers);
  const tCol = need(idx, ['datetimeutc', 'datetime', 'date_utc', 'datetime_utc'], 'datetime', 'OpenAQ');
  const pCol = need(idx, ['parameter'], 'parameter', 'OpenAQ');
  const vCol = need(idx, ['value'], 'value', 'OpenAQ');
  const uCol = find(idx, ['units', 'unit'])[0];
  const siteCols = find(idx, ['location_name', 'location']);
  const idCol = idx.get('location_id');
  const latCols = find(idx, ['latitude', 'lat', 'coordinates_latitude']);
  const lonCols = find(idx, ['longitude', 'lon', 'coordinates_longitude']);
  return (f) => {
    const time = parseTimestamp(f[tCol] ?? '', opts.naive);
    const parameter = OPENAQ_PARAMETERS[(f[pCol] ?? '').trim().toLowerCase()];
    if (!parameter)
      throw new RowError(
        `parameter "${(f[pCol] ?? '').trim().slice(0, 20)}" is not imported (PM2.5 and PM10 only)`,
        engineMessage('importRow.parameterNotImported', { parameter: (f[pCol] ?? '').trim().slice(0, 20) }),
      );
    const unit = uCol === undefined ? '' : (f[uCol] ?? '').trim().toLowerCase();
    if (unit !== '' && !/^(\u00b5g\/m\u00b3|\u03bcg\/m\u00b3|ug\/m3|\u00b5g\/m3|\u03bcg\/m3)$/.test(unit))
      throw new RowError(
        `unit "${unit.slice(0, 12)}" is not µg/m³`,
        engineMessage('importRow.unitNotUgm3', { unit: unit.slice(0, 12) }),
      );
    const value = parsePm(f[vCol], parameter === 'pm25' ? 'pm2_5' : 'pm10');
    if (value === null) throw new RowError('no value', engineMessage('importRow.noValue', {}));
    const name = firstCell(f, siteCols)?.trim();
    const id = idCol === undefined ? undefined : f[idCol]?.trim();
    const site = opts.siteName ?? name ?? (id ? `OpenAQ location ${id}` : opts.fileName);
    const coords = parseCoordinates(firstCell(f, latCols), firstCell(f, lonCols));
    const located = coords !== null && 'latitude' in coords ? coords : null;
    return {
      site: site.slice(0, 200),
      // The location is the station; its sensors are one per parameter, so they share the row.
      device: '',
      period: 'raw',
      latitude: located?.latitude ?? null,
      longitude: located?.longitude ?? null,
      coordinateIssue: coords !== null && 'issue' in coords ? coords.issue : null,
      time,
      pm25: parameter === 'pm25' ? round2(value) : null,
      pm10: parameter === 'pm10' ? round2(value) : null,
      pm25Calibrated: false,
      pm10Calibrated: false,
      pm25A: null,
      pm25B: null,
      flag: null,
      pm25Epa: null,
      humidity: null,
      temperature: null,
    };
  };
}

/** AirQo exports and the generic CSV share one alias-driven mapper; only the detection differs. */
function aliasMapper(headers: string[], opts: MapperOptions, format: 'AirQo' | 'generic'): RowMapper {
  const idx = indexOf(headers);
  const tCol = need(idx, ALIASES.time, 'timestamp', format);
  const siteCols = [...find(idx, ALIASES.site), ...find(idx, ALIASES.device)];
  const deviceCols = find(idx, ALIASES.device);
  const freqCol = find(idx, ALIASES.frequency)[0];
  const cal25 = new Set(find(idx, ALIASES.pm25Calibrated));
  const cal10 = new Set(find(idx, ALIASES.pm10Calibrated));
  const latCols = find(idx, ALIASES.latitude);
  const lonCols = find(idx, ALIASES.longitude);
  const pm25Cols = find(idx, ALIASES.pm25);
  const pm10Cols = find(idx, ALIASES.pm10);
  const [s1, s2, s1p10, s2p10] = [ALIASES.s1pm25, ALIASES.s2pm25, ALIASES.s1pm10, ALIASES.s2pm10].map(
    (a) => find(idx, a)[0],
  );
  const tempCols = find(idx, ALIASES.temperature);
  const rhCols = find(idx, ALIASES.humidity);
  if (pm25Cols.length === 0 && pm10Cols.length === 0 && s1 === undefined) {
    throw new HeaderError(`${format} file needs a pm2_5 or pm10 column`);
  }
  const cell = (f: string[], i: number | undefined) => (i === undefined ? undefined : f[i]);
  return (f) => {
    const time = parseTimestamp(f[tCol] ?? '', opts.naive);
    const siteText = firstCell(f, siteCols)?.trim();
    const site = opts.siteName ?? (siteCols.length === 0 ? opts.fileName : siteText);
    if (!site) throw new RowError('no site name', engineMessage('importRow.noSite', {}));
    const a = parsePm(cell(f, s1), 's1_pm2_5');
    const b = parsePm(cell(f, s2), 's2_pm2_5');
    const c25 = firstColumn(f, pm25Cols);
    const c10 = firstColumn(f, pm10Cols);
    const pm25 = parsePm(c25 === undefined ? undefined : f[c25], 'pm2_5') ?? meanOf(a, b);
    const pm10 =
      parsePm(c10 === undefined ? undefined : f[c10], 'pm10') ??
      meanOf(parsePm(cell(f, s1p10), 's1_pm10'), parsePm(cell(f, s2p10), 's2_pm10'));
    if (pm25 === null && pm10 === null)
      throw new RowError('no PM2.5 or PM10 value', engineMessage('importRow.noPm', {}));
    const coords = parseCoordinates(firstCell(f, latCols), firstCell(f, lonCols));
    const located = coords !== null && 'latitude' in coords ? coords : null;
    return {
      site: site.slice(0, 200),
      device: (firstCell(f, deviceCols)?.trim() ?? '').slice(0, 100),
      period: parsePeriod(cell(f, freqCol)) ?? 'raw',
      latitude: located?.latitude ?? null,
      longitude: located?.longitude ?? null,
      coordinateIssue: coords !== null && 'issue' in coords ? coords.issue : null,
      time,
      pm25: pm25 === null ? null : round2(pm25),
      pm10: pm10 === null ? null : round2(pm10),
      pm25Calibrated: c25 !== undefined && cal25.has(c25),
      pm10Calibrated: c10 !== undefined && cal10.has(c10),
      pm25A: a,
      pm25B: b,
      flag: a !== null && b !== null && !channelsAgree(a, b) ? 'ab_disagree' : null,
      pm25Epa: null,
      humidity: parseNumber(firstCell(f, rhCols), 'humidity'),
      temperature: parseNumber(firstCell(f, tempCols), 'temperature'),
    };
  };
}

/** The row mapper for `format`, checked against the header (HeaderError when a needed column is missing). */
export function mapperFor(format: ImportFormat, headers: string[], opts: MapperOptions): RowMapper {
  if (format === 'purpleair') return purpleAirMapper(headers, opts);
  if (format === 'openaq') return openAqMapper(headers, opts);
  return aliasMapper(headers, opts, format === 'airqo' ? 'AirQo' : 'generic');
}

/** True when a data row repeats the header (PurpleAir SD cards write it again after each restart). */
export function isHeaderRow(fields: string[], headers: string[]): boolean {
  const n = Math.min(2, headers.length);
  if (fields.length < n || fields[0]!.trim() === '') return false;
  // Data rows nearly always start with a timestamp: skip the string work for them.
  const c = fields[0]!.charCodeAt(0);
  if (c >= 48 && c <= 57) return false;
  for (let i = 0; i < n; i++) if (normalizeHeader(fields[i]!) !== normalizeHeader(headers[i]!)) return false;
  return true;
}

export { RowError };
