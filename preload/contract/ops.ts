/** Calls of the admin dashboard: health model, metrics, logs, backups, maintenance, hardware (issues 5 and 7). */
import { z } from 'zod';
import { call, EMPTY } from './define';
import type { HealthDto } from './core';
import type { EngineTextDto } from '../shared/engine-messages';
import { lazy } from '../shared/lazy';

export type CheckStatusDto = 'ok' | 'warn' | 'fail';

interface HealthCheckDto {
  id: 'store' | 'ollama' | 'cache' | 'sources' | 'disk' | 'backup' | 'errors' | 'latency' | 'provider';
  label: string;
  status: CheckStatusDto;
  /** In words; present for every check, and the whole point for one that is not green. */
  reason: string;
  /** The reason as message ids (joined with a space), for the UI to word in its language; absent: only English. */
  reasonText?: EngineTextDto[];
}

export interface HealthDetailDto extends HealthDto {
  checks: HealthCheckDto[];
  dataDir: string;
  engine: { state: string; message: string | null; restarts: number; version: string | null };
}

export interface MetricsPointDto {
  start: number;
  requests: number;
  errors: number;
  errorRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  toolCalls: number;
  replies: number;
  tokens: number;
  tokensPerSecond: number | null;
}

interface MetricAlertDto {
  id: 'error_rate' | 'latency_p95';
  severity: 'critical' | 'warning';
  firing: boolean;
  value: number | null;
  threshold: number;
  message: string;
  /** `message` as a message id, for the UI's language (issue 15). */
  text?: EngineTextDto;
}

export interface MetricsSummaryDto {
  generatedAt: number;
  hourly: MetricsPointDto[];
  daily: MetricsPointDto[];
  last24h: Omit<MetricsPointDto, 'start'> & { requestsPerMinute: number };
  last30d: Omit<MetricsPointDto, 'start'> & { requestsPerMinute: number };
  tools: { tool: string; calls: number; errors: number; p95Ms: number | null }[];
  models: { model: string; replies: number; errors: number; tokens: number; tokensPerSecond: number | null }[];
  messagesPerSession: { average: number; max: number } | null;
  alerts: MetricAlertDto[];
}

const LOG_FILE = lazy(() => z.enum(['app', 'errors', 'access', 'ollama']));
const LOG_LEVEL = lazy(() => z.enum(['debug', 'info', 'warn', 'error']));
export type LogFileDto = z.infer<ReturnType<typeof LOG_FILE>>;
export type LogLevelDto = z.infer<ReturnType<typeof LOG_LEVEL>>;

export interface LogEntryDto {
  time: string;
  level: LogLevelDto;
  component: string;
  message: string;
  context?: Record<string, unknown>;
  /** The line as stored (for download and for plain-text logs). */
  raw: string;
}

export interface LogCursorDto {
  ino: number;
  offset: number;
}

export interface BackupInfoDto {
  path: string;
  name: string;
  sizeBytes: number;
  sha256: string;
  sessions: number;
  messages: number;
  createdAt: string;
  kind: 'manual' | 'scheduled' | 'safety';
  appVersion: string;
  schemaVersion: number;
  firstMessageAt: string | null;
  lastMessageAt: string | null;
  compression: 'gzip' | 'none';
}

export interface DamagedBackupDto {
  path: string;
  name: string;
  sizeBytes: number;
  reason: string;
  message: string;
  /** `message` as an id for the UI's language (issue 15). */
  text?: EngineTextDto;
}

export type VerifyReportDto =
  | { ok: true; file: string; info: BackupInfoDto; checks: string[]; checkTexts?: EngineTextDto[] }
  | {
      ok: false;
      file: string;
      reason: string;
      message: string;
      /** `message` as an id for the UI's language (issue 15). */
      text?: EngineTextDto;
      info: BackupInfoDto | null;
      checks: string[];
      /** `checks`, line for line, as message ids for the UI's language (issue 15); absent from older engines. */
      checkTexts?: EngineTextDto[];
    };

export interface BackupPreviewDto {
  backup: BackupInfoDto;
  /** What the store holds now, so a person sees what a restore would replace. */
  current: { sessions: number; messages: number; firstMessageAt: string | null; lastMessageAt: string | null };
  /** Why a restore would be refused right now (a reply is streaming, newer schema), or null. */
  blocker: string | null;
  /** False for backups made before format 3: no checksum covers their settings, so each needs consent. */
  settingsTrusted: boolean;
  /** Every setting the restore would change. Those with `needsConsent` change only when named in `acceptSettings`. */
  settingsChanges: SettingChangeDto[];
}

/** One setting a restore would change. */
export interface SettingChangeDto {
  key: string;
  current: unknown;
  backup: unknown;
  /** The Ollama host, addresses, keys and folders (and any setting of an unsealed backup) need a yes. */
  needsConsent: boolean;
}

interface RestoreResultDto {
  restored: BackupInfoDto;
  /** Null when the store being replaced was damaged (it is then kept aside, not backed up). */
  safetyBackup: BackupInfoDto | null;
  settingsRestored: boolean;
  settingsApplied: string[];
  /** Settings that needed consent and did not get it: their current values were kept. */
  settingsKept: string[];
}

/** Progress of a long backup operation, as the event `backups.progress`. */
export interface BackupProgressDto {
  op: 'create' | 'verify' | 'restore' | 'import';
  phase: string;
  done: number;
  total: number;
  /** 0…1 over the whole operation (phases weighted), for one progress bar. */
  fraction: number;
}

export interface DatabaseSizeDto {
  fileBytes: number;
  walBytes: number;
  totalBytes: number;
  pageSize: number;
  pageCount: number;
  freeBytes: number;
}

export interface HardwareGpuDto {
  name: string;
  vendor: string;
  vramTotalBytes: number;
  vramFreeBytes: number | null;
  driver: string | null;
  sharesSystemRam: boolean;
}

export interface HardwareRecommendationDto {
  model: string;
  verdict: 'full-gpu' | 'partial' | 'cpu' | 'too-large';
  requiredBytes: number;
  gpuFraction: number;
  tools: boolean;
  installed: boolean;
  reason: string;
  /** The reason's parts as message ids (joined with "; "), for the UI's language. */
  reasonText?: EngineTextDto[];
}

export interface HardwareDto {
  platform: string;
  arch: string;
  gpus: HardwareGpuDto[];
  ram: { totalBytes: number; freeBytes: number };
  cpu: { model: string; cores: number; flags: string[] };
  disk: { modelsDir: string; freeBytes: number | null };
  notes: string[];
  detectedAt: string;
  numCtx: number;
  recommended: string | null;
  /** The first few ranked picks, the recommended one first. */
  recommendations: HardwareRecommendationDto[];
  ollamaReachable: boolean;
}

const FILE = lazy(() => z.string().trim().min(1).max(1000));

export const OPS_CALLS = {
  'health.detail': call<HealthDetailDto>()(() => EMPTY()),
  'metrics.summary': call<MetricsSummaryDto>()(() => EMPTY()),

  'logs.query': call<{ entries: LogEntryDto[]; truncated: boolean }>()(() =>
    z
      .object({
        file: LOG_FILE(),
        level: LOG_LEVEL().optional(),
        text: z.string().max(200).optional(),
        since: z.number().int().min(0).optional(),
        until: z.number().int().min(0).optional(),
        limit: z.number().int().min(1).max(5000).optional(),
      })
      .strict(),
  ),
  /** Live tail by polling: pass back the cursor from the last answer (none on the first poll). */
  'logs.tail': call<{ entries: LogEntryDto[]; cursor: LogCursorDto }>()(() =>
    z
      .object({
        file: LOG_FILE(),
        level: LOG_LEVEL().optional(),
        text: z.string().max(200).optional(),
        cursor: z
          .object({ ino: z.number().min(0), offset: z.number().int().min(0) })
          .strict()
          .nullable()
          .optional(),
      })
      .strict(),
  ),

  'backups.create': call<BackupInfoDto>()(() => z.object({ compress: z.boolean().optional() }).strict()),
  'backups.list': call<{ backups: BackupInfoDto[]; damaged: DamagedBackupDto[]; folder: string }>()(() => EMPTY()),
  'backups.verify': call<VerifyReportDto>()(() => z.object({ file: FILE() }).strict()),
  'backups.preview': call<BackupPreviewDto>()(() => z.object({ file: FILE() }).strict()),
  'backups.restore': call<RestoreResultDto>()(() =>
    z
      .object({
        file: FILE(),
        confirm: z.literal(true),
        /** Settings (by key, from the preview) the person agreed to take from the backup. */
        acceptSettings: z.array(z.string().min(1).max(100)).max(100).optional(),
      })
      .strict(),
  ),
  'backups.export': call<{ path: string }>()(() => z.object({ file: FILE(), folder: FILE() }).strict()),
  'backups.import': call<BackupInfoDto>()(() => z.object({ file: FILE() }).strict()),
  'backups.delete': call<{ deleted: boolean }>()(() => z.object({ file: FILE() }).strict()),

  'maintenance.cleanup': call<{ sessions: number; deleted: number; cutoff: string; dryRun: boolean }>()(() =>
    z.object({ days: z.number().int().min(1).max(36500), dryRun: z.boolean().optional() }).strict(),
  ),
  'maintenance.vacuum': call<{ beforeBytes: number; afterBytes: number; ms: number }>()(() => EMPTY()),
  'maintenance.integrity': call<{ ok: boolean; problems: string[] }>()(() =>
    z.object({ quick: z.boolean().optional() }).strict(),
  ),
  'maintenance.checkpoint': call<{ busy: boolean; walFrames: number; checkpointedFrames: number }>()(() => EMPTY()),
  'maintenance.size': call<DatabaseSizeDto>()(() => EMPTY()),

  'hardware.detect': call<HardwareDto>()(() => EMPTY()),
  'hardware.refresh': call<HardwareDto>()(() => EMPTY()),
} as const;
