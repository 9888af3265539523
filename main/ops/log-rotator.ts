import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import type { Clock } from '../core/clock';
import type { ComponentLogger } from './logger';
import { LOG_FILES, nextRotatedName, rotatedLogs } from './log-files';
import { intervalSchedule, type Schedule } from '../core/ticker';
import { DAY_MS, dayStamp } from './time-stamps';

/** The seed's schedule (rotate daily, compress after 7 days, keep 30), plus a size cap. */
interface RotationPolicy {
  /** Rotate a log that was last written on an earlier day (local midnight). */
  daily: boolean;
  /** Rotate a log as soon as it reaches this size. 0 turns size rotation off. */
  maxBytes: number;
  compressAfterDays: number;
  keepDays: number;
}

const DEFAULT_ROTATION: RotationPolicy = {
  daily: true,
  maxBytes: 20 * 1024 * 1024,
  compressAfterDays: 7,
  keepDays: 30,
};

/** `AERIS_LOG_MAX_MB`, `AERIS_LOG_KEEP_DAYS`, `AERIS_LOG_COMPRESS_DAYS` override the defaults. */
export function rotationFromEnv(env: NodeJS.ProcessEnv): RotationPolicy {
  const num = (v: string | undefined, fallback: number) => {
    const n = v === undefined || v === '' ? NaN : Number(v);
    return Number.isFinite(n) && n >= 0 ? n : fallback;
  };
  return {
    daily: env.AERIS_LOG_DAILY !== '0',
    maxBytes: Math.round(num(env.AERIS_LOG_MAX_MB, DEFAULT_ROTATION.maxBytes / 1048576) * 1048576),
    keepDays: num(env.AERIS_LOG_KEEP_DAYS, DEFAULT_ROTATION.keepDays),
    compressAfterDays: num(env.AERIS_LOG_COMPRESS_DAYS, DEFAULT_ROTATION.compressAfterDays),
  };
}

interface RotationReport {
  rotated: string[];
  compressed: string[];
  deleted: string[];
}

interface LogRotatorDeps {
  logsDir: string;
  clock: Clock;
  policy?: Partial<RotationPolicy>;
  /** Base names to rotate; default the four logs. */
  files?: string[];
  schedule?: Schedule;
  /** How often to look (size and midnight). Default 10 minutes. */
  checkEveryMs?: number;
  logger?: ComponentLogger;
}

/**
 * Rotates by rename: every writer here appends by path (appendFileSync, fs.appendFile), so the next line
 * simply starts a new file. Ages come from file mtimes, which a rename and our gzip both keep.
 */
export class LogRotator {
  readonly policy: RotationPolicy;
  private readonly files: string[];
  private stopTimer: (() => void) | null = null;
  private running: Promise<RotationReport> | null = null;

  constructor(private readonly deps: LogRotatorDeps) {
    this.policy = { ...DEFAULT_ROTATION, ...deps.policy };
    this.files = deps.files ?? Object.values(LOG_FILES);
  }

  /** Rotates now, then on a timer (unref'd). Returns the stop function. */
  start(): () => void {
    void this.rotateNow();
    this.stopTimer ??= (this.deps.schedule ?? intervalSchedule)(
      () => void this.rotateNow(),
      this.deps.checkEveryMs ?? 10 * 60_000,
    );
    return () => this.stop();
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = null;
  }

  /** One pass over every log; overlapping calls share the pass in flight. */
  rotateNow(): Promise<RotationReport> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<RotationReport> {
    const report: RotationReport = { rotated: [], compressed: [], deleted: [] };
    fs.mkdirSync(this.deps.logsDir, { recursive: true });
    for (const base of this.files) {
      try {
        await this.rotateOne(base, report);
      } catch (err) {
        this.deps.logger?.warn('log rotation failed', { file: base, error: String(err) });
      }
    }
    if (report.rotated.length + report.compressed.length + report.deleted.length > 0) {
      this.deps.logger?.info('logs rotated', {
        rotated: report.rotated.length,
        compressed: report.compressed.length,
        deleted: report.deleted.length,
      });
    }
    return report;
  }

  private async rotateOne(base: string, report: RotationReport): Promise<void> {
    const { logsDir, clock } = this.deps;
    const now = clock.now();
    const p = this.policy;
    const current = path.join(logsDir, base);
    const st = fs.statSync(current, { throwIfNoEntry: false });
    if (st && st.size > 0) {
      const lastWritten = dayStamp(st.mtimeMs);
      const stamp =
        p.daily && lastWritten < dayStamp(now)
          ? lastWritten
          : p.maxBytes > 0 && st.size >= p.maxBytes
            ? dayStamp(now)
            : null;
      if (stamp) {
        const name = nextRotatedName(logsDir, base, stamp);
        fs.renameSync(current, path.join(logsDir, name));
        report.rotated.push(name);
      }
    }
    for (const r of rotatedLogs(logsDir, base)) {
      const age = now - fs.statSync(r.path).mtimeMs;
      if (age > p.keepDays * DAY_MS) {
        fs.rmSync(r.path, { force: true });
        report.deleted.push(r.name);
      } else if (!r.gz && age > p.compressAfterDays * DAY_MS) {
        await gzipKeepingMtime(r.path);
        report.compressed.push(`${r.name}.gz`);
      }
    }
  }
}

/** file → file.gz (via a temp name, so a crash never leaves a half .gz), with the original mtime kept. */
async function gzipKeepingMtime(file: string): Promise<void> {
  const st = fs.statSync(file);
  const tmp = `${file}.gz.tmp`;
  try {
    await pipeline(fs.createReadStream(file), zlib.createGzip(), fs.createWriteStream(tmp));
    fs.utimesSync(tmp, st.atime, st.mtime);
    fs.renameSync(tmp, `${file}.gz`);
    fs.rmSync(file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
