import { engineMessage, type EngineText } from '../../preload/shared/engine-messages';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../core/clock';
import { explainDiskFull, isDiskFull } from '../core/disk-full';
import { AppError, errorMessage } from '../core/errors';
import type { ComponentLogger } from '../core/logger';
import type { Db } from '../store/database';
import { WHO_2021 } from '../airquality/aqi/who-guidelines';
import { readCsv } from './csv-reader';
import { DEFAULT_NAIVE_ZONE, checkTimeZone, naiveTimeIn } from './naive-time';
import { SiteLocator } from './site-location';
import { looksLikeXlsx, readXlsx } from './xlsx-reader';
import {
  HeaderError,
  RowError,
  detectFormat,
  isHeaderRow,
  mapperFor,
  type ImportFormat,
  type Period,
  type Reading,
  type RowMapper,
} from './formats';
import {
  ImportsRepository,
  type Aggregate,
  type ImportFileRow,
  type ImportedSite,
  type SeriesPoint,
  type SeriesPollutant,
} from './imports-repository';
import { EPA_CORRECTION_LABEL } from './purpleair';

/** The report keeps this many bad lines; `errorCount` has them all. */
const MAX_REPORTED_ERRORS = 1000;
const PROGRESS_INTERVAL_MS = 100;

export interface ImportProgress {
  importId: string;
  file: string;
  bytesRead: number;
  totalBytes: number;
  rowsRead: number;
  done: boolean;
}

interface ImportOptions {
  format?: ImportFormat;
  /** The name shown in reports and answers (an uploaded file's original name; default the path's base name). */
  displayName?: string;
  /** Site name for files that carry none (a PurpleAir SD card names only its MAC address). */
  siteName?: string;
  /**
   * IANA zone for timestamps that carry none (default UTC, which is what AirQo's exports and sensor
   * loggers write). Timestamps with a `Z` or an offset are read as written.
   */
  timeZone?: string;
  /**
   * When these bytes were imported before, remove that import (and the readings it added) and import
   * again with these options: how a file is read in another zone or as another site. Off by default.
   */
  replacePrevious?: boolean;
  /** Lets the caller match progress events to its own import. */
  importId?: string;
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
}

export interface ImportReport {
  id: number;
  file: string;
  format: ImportFormat;
  sha256: string;
  sizeBytes: number;
  /** Data rows read (repeated header lines and blank lines not counted). */
  rowsRead: number;
  rowsImported: number;
  /** Valid rows already stored with the same values (same site, period, time and device). */
  duplicates: number;
  /** Stored values this file replaced: calibrated over raw, or a later value of the same kind (overlap.ts). */
  replaced: number;
  /** The file's bytes were imported before (whatever the options then): nothing was read or added. */
  alreadyImported: boolean;
  /** `xlsx` when the file was an Excel workbook (its first sheet is read). */
  container: 'csv' | 'xlsx';
  /** The zone naive timestamps were read in, and how many rows had one. */
  naiveTimestamps: { zone: string; rows: number; defaulted: boolean };
  /** Rows whose coordinates were refused ((0, 0), out of range, unreadable, half given); their readings were kept. */
  coordinatesRejected: number;
  /** Rows whose A/B channels disagree: kept, flagged, left out of means. */
  flagged: number;
  /** Rows with the US EPA correction computed (PurpleAir only). */
  epaCorrected: number;
  epaCorrectionLabel: string | null;
  errorCount: number;
  /** `text`: the reason as a message id, for the UI's language (issue 15). */
  errors: Array<{ line: number; reason: string; text?: EngineText }>;
  sites: ImportReportSite[];
  /** An earlier import of exactly these bytes, if there was one. */
  previousImport: { id: number; name: string; importedAt: number } | null;
  durationMs: number;
}

interface ImportReportSite {
  name: string;
  /** The median of this file's good coordinates for the site, else the location stored before. */
  latitude: number | null;
  longitude: number | null;
  rows: number;
  /** Sensors seen for the site (AirQo `device_name`), at most 20. */
  devices: string[];
  /** What its rows stand for in this file (`daily` for a daily-means export). */
  periods: Period[];
  /** Rows with good coordinates, and how many of those lay more than 5 km from the site's centre. */
  locatedRows: number;
  outlyingRows: number;
}

interface SeriesResult {
  site: string;
  pollutant: SeriesPollutant;
  aggregate: Aggregate;
  unit: 'µg/m³';
  label: string;
  points: SeriesPoint[];
  flaggedExcluded: number;
  truncated: boolean;
}

interface DailyMeansResult {
  site: string;
  pollutant: SeriesPollutant;
  unit: 'µg/m³';
  label: string;
  guideline: { value: number; label: string };
  utcOffsetMinutes: number;
  /**
   * `hours` is null and `basis` 'daily' for a day whose figure is the file's own daily mean: it counts as a
   * complete day, and its mean is what is compared with the WHO 24-hour guideline.
   */
  days: Array<{
    day: string;
    dayStart: number;
    mean: number;
    hours: number | null;
    basis: 'hours' | 'daily';
    complete: boolean;
    exceeds: boolean;
  }>;
  daysWithData: number;
  completeDays: number;
  exceedances: number;
  completeExceedances: number;
}

/** A day counts as complete (WHO/EPA practice) with at least 18 of 24 hours. */
const COMPLETE_DAY_HOURS = 18;

export const POLLUTANT_LABEL: Record<SeriesPollutant, string> = {
  pm25: 'PM2.5',
  pm10: 'PM10',
  pm25_epa: `PM2.5, ${EPA_CORRECTION_LABEL}`,
};

/** The WHO 2021 24-hour guideline for a pollutant (the corrected PM2.5 compares with PM2.5's). */
function whoDailyGuideline(p: SeriesPollutant): { value: number; label: string } {
  const g = WHO_2021.find((x) => x.pollutant === (p === 'pm10' ? 'pm10' : 'pm25') && x.averaging === '24h')!;
  return { value: g.guideline, label: `WHO 2021 24-hour guideline (${g.guideline} µg/m³)` };
}

const dayLabel = (dayStart: number, offsetMinutes: number) =>
  new Date(dayStart + offsetMinutes * 60_000).toISOString().slice(0, 10);

interface ImportsServiceDeps {
  db: () => Db;
  clock: Clock;
  logger?: ComponentLogger;
  /** Every import's progress (the engine forwards it as the `imports.progress` event). */
  emit?: (p: ImportProgress) => void;
  /** Where uploads are spooled before import (serve mode). */
  uploadDir: string;
}

let importSeq = 0;

/** The file's SHA-256 and its first bytes (to tell an .xlsx from a CSV by content, not by name). */
async function hashFile(file: string, signal?: AbortSignal): Promise<{ sha256: string; head: Buffer }> {
  const hash = crypto.createHash('sha256');
  let head: Buffer | null = null;
  const stream = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      signal?.throwIfAborted();
      head ??= Buffer.from(chunk.subarray(0, 8));
      hash.update(chunk);
    }
  } finally {
    stream.destroy();
  }
  return { sha256: hash.digest('hex'), head: head ?? Buffer.alloc(0) };
}

/** Imports sensor files into the store and answers questions about what was imported. */
/** A header the reader refused, named by its file (the reader's own words go along as a parameter). */
function headerError(name: string, err: Error): AppError {
  return new AppError(
    'bad_request',
    `${name}: ${err.message}`,
    {},
    engineMessage('error.importHeader', { name, error: err.message }),
  );
}

export class ImportsService {
  readonly repo: ImportsRepository;

  constructor(private readonly deps: ImportsServiceDeps) {
    this.repo = new ImportsRepository(deps.db);
  }

  get uploadDir(): string {
    return this.deps.uploadDir;
  }

  /**
   * Streams `file` into the store in one transaction per chunk read. A bad row is reported by line
   * number and skipped; only an unreadable file or an unrecognised header fails the import.
   */
  async importFile(file: string, opts: ImportOptions = {}): Promise<ImportReport> {
    const t0 = performance.now();
    const name = opts.displayName ?? path.basename(file);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      throw new AppError('not_found', `File not found: ${file}`, {}, engineMessage('error.fileNotFound', { file }));
    }
    if (!stat.isFile()) {
      throw new AppError('bad_request', `Not a file: ${file}`, {}, engineMessage('error.notAFile', { file }));
    }
    const importId = opts.importId ?? `imp-${Date.now().toString(36)}-${++importSeq}`;
    const zone = checkTimeZone(opts.timeZone ?? DEFAULT_NAIVE_ZONE);
    const inZone = naiveTimeIn(zone);
    let naiveRows = 0;
    const naive: typeof inZone = (...parts) => {
      naiveRows++;
      return inZone(...parts);
    };
    // A file is known by its bytes: hashed first, so a re-import under another name, --site or --format
    // adds nothing and says so.
    const { sha256: knownHash, head } = await hashFile(file, opts.signal);
    const container = looksLikeXlsx(head) ? 'xlsx' : 'csv';
    let earlier = this.repo.previousImport(knownHash);
    if (earlier && opts.replacePrevious) {
      this.repo.deleteFile(earlier.id);
      this.deps.logger?.info('import replaced', { file: name, previous: earlier.id });
      earlier = this.repo.previousImport(knownHash);
    }
    if (earlier) {
      return this.alreadyImported(name, stat.size, knownHash, earlier, container, zone, opts, t0);
    }
    const errors: ImportReport['errors'] = [];
    let errorCount = 0;
    const bad = (line: number, reason: string, text?: EngineText) => {
      errorCount++;
      if (errors.length < MAX_REPORTED_ERRORS) errors.push({ line, reason, ...(text ? { text } : {}) });
    };
    const counts = { rowsRead: 0, rowsImported: 0, duplicates: 0, errorCount: 0, flagged: 0, replaced: 0 };
    let epaCorrected = 0;
    let coordinatesRejected = 0;
    const perSite = new Map<string, { rows: number; devices: Set<string>; periods: Set<Period> }>();
    const locator = new SiteLocator();
    const siteIds = new Map<string, number>();

    // Set by useHeader (a closure, so kept in one object TypeScript does not narrow away).
    const cur: { headers: string[] | null; format: ImportFormat | null; mapper: RowMapper | null } = {
      headers: null,
      format: null,
      mapper: null,
    };
    let fileId: number | null = null;
    let lastProgress = 0;
    const progress = (bytesRead: number, done: boolean) => {
      const now = performance.now();
      if (!done && now - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = now;
      const p: ImportProgress = {
        importId,
        file: name,
        bytesRead,
        totalBytes: stat.size,
        rowsRead: counts.rowsRead,
        done,
      };
      opts.onProgress?.(p);
      this.deps.emit?.(p);
    };

    const useHeader = (fields: string[]) => {
      const detected = detectFormat(fields);
      const chosen = opts.format ?? detected;
      if (!chosen) {
        throw new AppError(
          'bad_request',
          `${name}: the columns are not a PurpleAir, AirQo or generic sensor file (expected e.g. timestamp,site,latitude,longitude,pm2_5,pm10); choose a format with --format`,
          {},
          engineMessage('error.importUnknownColumns', { name }),
        );
      }
      if (cur.format && chosen !== cur.format) throw new HeaderError(`the header changes to a ${chosen} file mid-way`);
      try {
        cur.mapper = mapperFor(chosen, fields, {
          fileName: name,
          naive,
          ...(opts.siteName ? { siteName: opts.siteName } : {}),
        });
      } catch (err) {
        if (err instanceof HeaderError) throw headerError(name, err);
        throw err;
      }
      cur.headers = fields;
      cur.format = chosen;
    };

    try {
      const readOpts = opts.signal ? { signal: opts.signal } : {};
      const batches = container === 'xlsx' ? readXlsx(file, readOpts) : readCsv(file, readOpts);
      for await (const batch of batches) {
        const readings: Reading[] = [];
        // Bad records and good ones arrive in separate lists; merge by line so errors read in file order.
        for (const b of batch.bad) {
          counts.rowsRead++;
          bad(b.line, b.reason, b.text);
        }
        for (const rec of batch.records) {
          const { headers, mapper, format } = cur;
          if (!headers || !mapper || !format) {
            useHeader(rec.fields);
            fileId = this.repo.beginFile({
              name,
              format: cur.format!,
              sizeBytes: stat.size,
              importedAt: this.deps.clock.now(),
              timeZone: zone,
            });
            continue;
          }
          if (isHeaderRow(rec.fields, headers)) {
            try {
              useHeader(rec.fields);
            } catch (err) {
              bad(rec.line, errorMessage(err));
            }
            continue;
          }
          counts.rowsRead++;
          if (rec.fields.length < headers.length) {
            // Short rows are cut-off writes (a logger losing power mid-line): never guess which cells are missing.
            bad(
              rec.line,
              `${rec.fields.length} fields where the header has ${headers.length}`,
              engineMessage('importRow.shortRow', { fields: rec.fields.length, expected: headers.length }),
            );
            continue;
          }
          try {
            const r = mapper(rec.fields);
            readings.push(r);
            if (r.flag) counts.flagged++;
            if (r.pm25Epa !== null) epaCorrected++;
            let s = perSite.get(r.site);
            if (!s) perSite.set(r.site, (s = { rows: 0, devices: new Set(), periods: new Set() }));
            s.rows++;
            if (r.device && s.devices.size < 20) s.devices.add(r.device);
            s.periods.add(r.period);
            if (r.coordinateIssue) coordinatesRejected++;
            else if (r.latitude !== null && r.longitude !== null) locator.add(r.site, r.latitude, r.longitude);
          } catch (err) {
            if (err instanceof RowError) bad(rec.line, err.message, err.text);
            else throw err;
          }
        }
        if (readings.length > 0) {
          const c = this.repo.insertBatch(fileId!, cur.format!, readings, siteIds);
          counts.rowsImported += c.inserted;
          counts.replaced += c.replaced;
          counts.duplicates += c.unchanged;
        }
        progress(batch.bytesRead, false);
      }
    } catch (err) {
      if (fileId !== null) {
        try {
          this.repo.finishFile(fileId, knownHash, { ...counts, errorCount }, 'failed');
        } catch (markErr) {
          // On a full disk even this mark fails; the error to report is the one that stopped the import.
          if (!isDiskFull(markErr)) throw markErr;
        }
      }
      this.deps.logger?.warn('import failed', { file: name, error: errorMessage(err) });
      if (err instanceof HeaderError) throw headerError(name, err);
      throw explainDiskFull(err);
    }
    if (!cur.format || fileId === null) {
      throw new AppError(
        'bad_request',
        `${name} is empty (no header row).`,
        {},
        engineMessage('error.importEmpty', { name }),
      );
    }
    errors.sort((a, b) => a.line - b.line);
    const sha256 = knownHash;
    counts.errorCount = errorCount;
    const sites: ImportReportSite[] = [];
    for (const [siteName, s] of perSite) {
      const loc = locator.locate(siteName);
      if (loc) this.repo.setLocation(siteName, loc.latitude, loc.longitude);
      const stored = loc ?? this.repo.locationOf(siteName);
      sites.push({
        name: siteName,
        latitude: stored?.latitude ?? null,
        longitude: stored?.longitude ?? null,
        rows: s.rows,
        devices: [...s.devices],
        periods: [...s.periods],
        locatedRows: loc?.rows ?? 0,
        outlyingRows: loc?.outlying ?? 0,
      });
    }
    this.repo.finishFile(fileId, sha256, counts, 'done');
    progress(stat.size, true);
    const report: ImportReport = {
      id: fileId,
      file: name,
      format: cur.format,
      sha256,
      sizeBytes: stat.size,
      rowsRead: counts.rowsRead,
      rowsImported: counts.rowsImported,
      duplicates: counts.duplicates,
      replaced: counts.replaced,
      alreadyImported: false,
      container,
      naiveTimestamps: { zone, rows: naiveRows, defaulted: opts.timeZone === undefined },
      coordinatesRejected,
      flagged: counts.flagged,
      epaCorrected,
      epaCorrectionLabel: epaCorrected > 0 ? EPA_CORRECTION_LABEL : null,
      errorCount,
      errors,
      sites,
      previousImport: null,
      durationMs: Math.round(performance.now() - t0),
    };
    this.deps.logger?.info('file imported', {
      file: name,
      format: report.format,
      rowsRead: report.rowsRead,
      rowsImported: report.rowsImported,
      duplicates: report.duplicates,
      errors: errorCount,
      ms: report.durationMs,
    });
    return report;
  }

  /** The report for a file whose bytes were imported before: nothing read, nothing added. */
  private alreadyImported(
    name: string,
    size: number,
    sha256: string,
    earlier: { id: number; name: string; importedAt: number; validRows: number; format: ImportFormat },
    container: 'csv' | 'xlsx',
    zone: string,
    opts: ImportOptions,
    t0: number,
  ): ImportReport {
    this.deps.logger?.info('file already imported', { file: name, previous: earlier.id });
    return {
      id: earlier.id,
      file: name,
      format: earlier.format,
      sha256,
      sizeBytes: size,
      rowsRead: 0,
      rowsImported: 0,
      // Every good row of that import is already stored (bad rows are not duplicates of anything).
      duplicates: earlier.validRows,
      replaced: 0,
      alreadyImported: true,
      container,
      naiveTimestamps: { zone, rows: 0, defaulted: opts.timeZone === undefined },
      coordinatesRejected: 0,
      flagged: 0,
      epaCorrected: 0,
      epaCorrectionLabel: null,
      errorCount: 0,
      errors: [],
      sites: [],
      previousImport: { id: earlier.id, name: earlier.name, importedAt: earlier.importedAt },
      durationMs: Math.round(performance.now() - t0),
    };
  }

  list(): ImportFileRow[] {
    return this.repo.files();
  }

  sites(): ImportedSite[] {
    return this.repo.sites();
  }

  private requireSite(name: string): { id: number; name: string } {
    const s = this.repo.siteByName(name);
    if (!s) {
      throw new AppError('not_found', `No imported site named "${name}".`, {}, engineMessage('error.noSite', { name }));
    }
    return s;
  }

  series(q: {
    site: string;
    pollutant: SeriesPollutant;
    aggregate: Aggregate;
    start?: number;
    end?: number;
    limit?: number;
    utcOffsetMinutes?: number;
  }): SeriesResult {
    const site = this.requireSite(q.site);
    const r = this.repo.series(site.id, q.pollutant, q.aggregate, q, q.limit ?? 10_000);
    if (q.aggregate !== 'raw') for (const p of r.points) p.value = Math.round(p.value * 100) / 100;
    return {
      site: site.name,
      pollutant: q.pollutant,
      aggregate: q.aggregate,
      unit: 'µg/m³',
      label: POLLUTANT_LABEL[q.pollutant],
      ...r,
    };
  }

  dailyMeans(q: {
    site: string;
    pollutant: SeriesPollutant;
    start?: number;
    end?: number;
    utcOffsetMinutes?: number;
  }): DailyMeansResult {
    const site = this.requireSite(q.site);
    const off = q.utcOffsetMinutes ?? 0;
    const guideline = whoDailyGuideline(q.pollutant);
    const days = this.repo.daily(site.id, q.pollutant, q).map((d) => ({
      day: dayLabel(d.dayStart, off),
      dayStart: d.dayStart,
      mean: Math.round(d.mean * 10) / 10,
      hours: d.hours,
      basis: d.basis,
      complete: d.basis === 'daily' || (d.hours ?? 0) >= COMPLETE_DAY_HOURS,
      // Compare the rounded figure the user sees, so a shown "15.0" never counts as above 15.
      exceeds: Math.round(d.mean * 10) / 10 > guideline.value,
    }));
    return {
      site: site.name,
      pollutant: q.pollutant,
      unit: 'µg/m³',
      label: POLLUTANT_LABEL[q.pollutant],
      guideline,
      utcOffsetMinutes: off,
      days,
      daysWithData: days.length,
      completeDays: days.filter((d) => d.complete).length,
      exceedances: days.filter((d) => d.exceeds).length,
      completeExceedances: days.filter((d) => d.exceeds && d.complete).length,
    };
  }

  /** Count, mean, min, max and the newest value (channel-disagreeing rows left out). */
  stats(q: { site: string; pollutant: SeriesPollutant; start?: number; end?: number }) {
    return this.repo.stats(this.requireSite(q.site).id, q.pollutant, q);
  }

  delete(id: number): { deleted: boolean; readingsRemoved: number } {
    return this.repo.deleteFile(id);
  }
}
