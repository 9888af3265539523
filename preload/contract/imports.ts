/** Calls of the imported-data page: sensor-file imports and queries over what was imported. */
import { z } from 'zod';
import type { EngineTextDto } from '../shared/engine-messages';
import { call, EMPTY } from './define';
import { lazy } from '../shared/lazy';

export const IMPORT_FORMAT = lazy(() => z.enum(['purpleair', 'airqo', 'generic', 'openaq']));
export const IMPORT_POLLUTANT = lazy(() => z.enum(['pm25', 'pm10', 'pm25_epa']));
const SITE = lazy(() => z.string().trim().min(1).max(200));
const TIME = lazy(() => z.number().int().min(0).max(8.64e15));
const OFFSET = lazy(() =>
  z
    .number()
    .int()
    .min(-14 * 60)
    .max(14 * 60),
);

export interface ImportReportDto {
  id: number;
  file: string;
  format: z.infer<ReturnType<typeof IMPORT_FORMAT>>;
  sha256: string;
  sizeBytes: number;
  rowsRead: number;
  rowsImported: number;
  duplicates: number;
  /** Stored values this file replaced (calibrated over raw; a later value of the same kind). */
  replaced: number;
  /** The same bytes were imported before, whatever the options: nothing was added. */
  alreadyImported: boolean;
  container: 'csv' | 'xlsx';
  /** The zone timestamps without one were read in (`defaulted`: UTC because none was chosen). */
  naiveTimestamps: { zone: string; rows: number; defaulted: boolean };
  /** Rows whose coordinates were refused ((0, 0), out of range); their readings were kept. */
  coordinatesRejected: number;
  flagged: number;
  epaCorrected: number;
  epaCorrectionLabel: string | null;
  errorCount: number;
  /** `text`: the reason as a message id, for the UI's language (issue 15). */
  errors: Array<{ line: number; reason: string; text?: EngineTextDto }>;
  sites: Array<{
    name: string;
    latitude: number | null;
    longitude: number | null;
    rows: number;
    devices: string[];
    periods: Array<'raw' | 'hourly' | 'daily'>;
    locatedRows: number;
    outlyingRows: number;
  }>;
  previousImport: { id: number; name: string; importedAt: number } | null;
  durationMs: number;
}

export interface ImportFileDto {
  id: number;
  name: string;
  sha256: string;
  format: z.infer<ReturnType<typeof IMPORT_FORMAT>>;
  sizeBytes: number;
  rowsRead: number;
  rowsImported: number;
  duplicates: number;
  replaced: number;
  errorCount: number;
  flagged: number;
  status: 'running' | 'done' | 'failed';
  importedAt: number;
  timeZone: string | null;
}

export interface ImportedSiteDto {
  id: number;
  name: string;
  latitude: number | null;
  longitude: number | null;
  count: number;
  firstTime: number;
  lastTime: number;
  sources: string[];
  files: string[];
  devices: string[];
  periods: Array<'raw' | 'hourly' | 'daily'>;
}

export interface ImportSeriesDto {
  site: string;
  pollutant: z.infer<ReturnType<typeof IMPORT_POLLUTANT>>;
  aggregate: 'raw' | 'hourly' | 'daily';
  unit: 'µg/m³';
  label: string;
  points: Array<{ time: number; value: number; n: number; flag?: string }>;
  /** Readings left out of hourly/daily means because their A/B channels disagree. */
  flaggedExcluded: number;
  truncated: boolean;
}

export interface DailyMeansDto {
  site: string;
  pollutant: z.infer<ReturnType<typeof IMPORT_POLLUTANT>>;
  unit: 'µg/m³';
  label: string;
  guideline: { value: number; label: string };
  utcOffsetMinutes: number;
  /** `basis: 'daily'`: the file's own daily mean (hours null), counted as a complete day. */
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

/** What importing the original AERIS-AQ server's database added (`aeris import-legacy`, the first-run wizard). */
export interface LegacyImportReportDto {
  sessions: number;
  messages: number;
  /** Rows left out: already imported, or unusable; `reasons` counts them by why. */
  skipped: number;
  reasons: Record<string, number>;
  /** Each key of `reasons` as a message id, for the UI's language (issue 15). */
  reasonTexts?: Record<string, EngineTextDto>;
}

/** The original server's database found where it keeps it (`imports.legacyFound`): the wizard offers it. */
export interface LegacyFoundDto {
  path: string;
  sessions: number;
  messages: number;
}

/** The `imports.progress` event. */
export interface ImportProgressDto {
  importId: string;
  file: string;
  bytesRead: number;
  totalBytes: number;
  rowsRead: number;
  done: boolean;
}

export const IMPORTS_CALLS = {
  /** Imports a file by path (Electron; serve mode uploads to POST /api/v1/imports instead). */
  'imports.run': call<ImportReportDto>()(() =>
    z
      .object({
        path: z.string().min(1).max(4096),
        format: IMPORT_FORMAT().optional(),
        site: SITE().optional(),
        /** IANA zone for timestamps without one (default UTC). */
        timeZone: z.string().trim().min(1).max(64).optional(),
        importId: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,64}$/)
          .optional(),
      })
      .strict(),
  ),
  /** The original server's SQLite database by path (Electron; serve mode uploads to POST /api/v1/imports/legacy). */
  'imports.legacy': call<LegacyImportReportDto>()(() => z.object({ path: z.string().min(1).max(4096) }).strict()),
  /** The original server's database where it keeps it (DATABASE_URL, ./data/aeris_agent.db, …), or null. */
  'imports.legacyFound': call<LegacyFoundDto | null>()(() => EMPTY()),
  /** Imports the database `imports.legacyFound` finds: the engine names the file, so serve mode needs no path. */
  'imports.legacyImportFound': call<LegacyImportReportDto>()(() => EMPTY()),
  'imports.list': call<{ imports: ImportFileDto[] }>()(() => EMPTY()),
  'imports.sites': call<{ sites: ImportedSiteDto[] }>()(() => EMPTY()),
  'imports.series': call<ImportSeriesDto>()(() =>
    z
      .object({
        site: SITE(),
        pollutant: IMPORT_POLLUTANT(),
        aggregate: z.enum(['raw', 'hourly', 'daily']),
        start: TIME().optional(),
        end: TIME().optional(),
        limit: z.number().int().min(1).max(50_000).optional(),
        utcOffsetMinutes: OFFSET().optional(),
      })
      .strict(),
  ),
  'imports.dailyMeans': call<DailyMeansDto>()(() =>
    z
      .object({
        site: SITE(),
        pollutant: IMPORT_POLLUTANT(),
        start: TIME().optional(),
        end: TIME().optional(),
        utcOffsetMinutes: OFFSET().optional(),
      })
      .strict(),
  ),
  'imports.delete': call<{ deleted: boolean; readingsRemoved: number }>()(() =>
    z.object({ id: z.number().int().positive() }).strict(),
  ),
} as const;
