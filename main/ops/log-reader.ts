import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import zlib from 'node:zlib';
import type { LogEntry, LogLevel } from './logger';
import { LOG_FILES, rotatedLogs, type LogFileKind } from './log-files';

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
export const LOG_LEVELS = Object.keys(LEVEL_ORDER) as LogLevel[];

export interface LogQuery {
  file?: LogFileKind;
  /** Minimum level. */
  level?: LogLevel;
  /** Epoch ms, inclusive. */
  since?: number;
  until?: number;
  /** Case-insensitive text search over the whole line. */
  grep?: string;
  /** Only the last N matching entries. */
  tail?: number;
}

/** One log line, structured: JSON lines as written; plain lines (access, ollama) parsed as well as they allow. */
export interface LogRecord extends LogEntry {
  /** The line as stored. */
  raw: string;
}

const ISO_AT_START = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\s/;
const LOGFMT_TIME = /\btime=("?)([^\s"]+)\1/;
const LOGFMT_LEVEL = /\blevel=("?)(\w+)\1/;
const ACCESS_STATUS = /"\s(\d{3})\s/;

function normLevel(s: string): LogLevel {
  const l = s.toLowerCase();
  if (l.startsWith('err') || l === 'fatal' || l === 'panic') return 'error';
  if (l.startsWith('warn')) return 'warn';
  if (l.startsWith('debug') || l === 'trace') return 'debug';
  return 'info';
}

/** Parses a line; `previous` gives its time to continuation lines (stack traces) that have none. */
export function parseLogLine(raw: string, kind: LogFileKind, previous: LogRecord | null): LogRecord {
  if (raw.startsWith('{')) {
    try {
      const e = JSON.parse(raw) as Partial<LogEntry>;
      if (typeof e.time === 'string' && typeof e.message === 'string') {
        return {
          time: e.time,
          level: e.level && e.level in LEVEL_ORDER ? e.level : 'info',
          component: e.component ?? kind,
          message: e.message,
          ...(e.context ? { context: e.context } : {}),
          raw,
        };
      }
    } catch {
      // not JSON after all: a plain line
    }
  }
  let time = previous?.time ?? new Date(0).toISOString();
  let level: LogLevel = 'info';
  const iso = ISO_AT_START.exec(raw);
  const logfmtTime = LOGFMT_TIME.exec(raw);
  if (iso) time = new Date(iso[1]!).toISOString();
  else if (logfmtTime && !Number.isNaN(Date.parse(logfmtTime[2]!))) time = new Date(logfmtTime[2]!).toISOString();
  const lvl = LOGFMT_LEVEL.exec(raw);
  if (lvl) level = normLevel(lvl[2]!);
  else if (kind === 'access') {
    const status = Number(ACCESS_STATUS.exec(raw)?.[1] ?? 200);
    level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
  } else if (kind === 'errors') level = 'error';
  else if (!iso && previous) level = previous.level;
  return { time, level, component: kind === 'access' ? 'http' : kind, message: raw, raw };
}

export function matches(r: LogRecord, q: LogQuery): boolean {
  if (q.level && LEVEL_ORDER[r.level] < LEVEL_ORDER[q.level]) return false;
  if (q.since !== undefined || q.until !== undefined) {
    const t = Date.parse(r.time);
    if (q.since !== undefined && t < q.since) return false;
    if (q.until !== undefined && t > q.until) return false;
  }
  if (q.grep && !r.raw.toLowerCase().includes(q.grep.toLowerCase())) return false;
  return true;
}

async function* linesOf(file: string, gz: boolean): AsyncGenerator<string> {
  const stream = fs.createReadStream(file);
  const input = gz ? stream.pipe(zlib.createGunzip()) : stream;
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of rl) if (line.length > 0) yield line;
  } catch (err) {
    // A rotated file being gzipped right now, or a damaged .gz: read what there is.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && !gz) throw err;
  } finally {
    rl.close();
    stream.destroy();
  }
}

/**
 * Entries from one log, oldest first, across its rotated and gzipped files and the current one.
 * Files last written before `since` are skipped without being opened.
 */
export async function readLogs(logsDir: string, q: LogQuery = {}): Promise<LogRecord[]> {
  const kind = q.file ?? 'app';
  const base = LOG_FILES[kind];
  const files: { path: string; gz: boolean }[] = rotatedLogs(logsDir, base).map((r) => ({ path: r.path, gz: r.gz }));
  files.push({ path: path.join(logsDir, base), gz: false });
  const tail = q.tail !== undefined && q.tail > 0 ? q.tail : null;
  const out: LogRecord[] = [];
  let previous: LogRecord | null = null;
  for (const f of files) {
    const st = fs.statSync(f.path, { throwIfNoEntry: false });
    if (!st) continue;
    if (q.since !== undefined && st.mtimeMs < q.since) continue;
    for await (const line of linesOf(f.path, f.gz)) {
      const rec = parseLogLine(line, kind, previous);
      previous = rec;
      if (!matches(rec, q)) continue;
      out.push(rec);
      if (tail !== null && out.length > tail * 2) out.splice(0, out.length - tail);
    }
  }
  return tail !== null ? out.slice(-tail) : out;
}

/**
 * Live tail of the current file: polls for new lines (fs.watch is unreliable on network drives and
 * across renames), starts over when the file is rotated away. Returns the stop function.
 */
export function followLogs(
  logsDir: string,
  q: LogQuery,
  onRecord: (r: LogRecord) => void,
  opts: {
    pollMs?: number;
    fromStart?: boolean;
    /** After each poll, with how far into the file it has read (lets tests wait on the reader, not a clock). */
    onPolled?: (offset: number) => void;
  } = {},
): () => void {
  const kind = q.file ?? 'app';
  const file = path.join(logsDir, LOG_FILES[kind]);
  const initial = fs.statSync(file, { throwIfNoEntry: false });
  let offset = opts.fromStart ? 0 : (initial?.size ?? 0);
  let ino = initial?.ino ?? null;
  let partial = '';
  let previous: LogRecord | null = null;
  let busy = false;
  const poll = () => {
    if (busy) return;
    busy = true;
    try {
      const st = fs.statSync(file, { throwIfNoEntry: false });
      if (!st) return;
      if (st.ino !== ino || st.size < offset) {
        // Rotated (a new file under the same name) or truncated: read the new one from its start.
        ino = st.ino;
        offset = 0;
        partial = '';
      }
      if (st.size <= offset) return;
      const fd = fs.openSync(file, 'r');
      try {
        const buf = Buffer.alloc(st.size - offset);
        const n = fs.readSync(fd, buf, 0, buf.length, offset);
        offset += n;
        const text = partial + buf.subarray(0, n).toString('utf8');
        const lines = text.split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          if (!line) continue;
          const rec = parseLogLine(line, kind, previous);
          previous = rec;
          if (matches(rec, q)) onRecord(rec);
        }
      } finally {
        fs.closeSync(fd);
      }
    } finally {
      busy = false;
      opts.onPolled?.(offset);
    }
  };
  const handle = setInterval(poll, opts.pollMs ?? 500);
  return () => clearInterval(handle);
}

/** How a record prints in a terminal. */
export function formatRecord(r: LogRecord): string {
  if (!r.raw.startsWith('{')) return r.raw;
  const ctx = r.context && Object.keys(r.context).length ? ` ${JSON.stringify(r.context)}` : '';
  return `${r.time} ${r.level.toUpperCase().padEnd(5)} [${r.component}] ${r.message}${ctx}`;
}
