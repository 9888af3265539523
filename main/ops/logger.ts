import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../core/clock';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogEntry {
  time: string;
  level: LogLevel;
  component: string;
  message: string;
  context?: Record<string, unknown>;
}

export interface Logger {
  log(level: LogLevel, component: string, message: string, context?: Record<string, unknown>): void;
  child(component: string): ComponentLogger;
}

export interface ComponentLogger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

const SECRET_KEY = /token|secret|password|api[-_]?key|authorization|cookie/i;
const SECRET_VALUE = /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}|([?&](?:token|key|api_key)=)[^&\s]+/gi;

/** Secrets never reach a log file: keys that look secret are masked, and so are bearer tokens in text. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[depth]';
  if (typeof value === 'string') return value.replace(SECRET_VALUE, (_m, b, q) => `${b ?? q}[redacted]`);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
    return out;
  }
  return value;
}

/**
 * Structured JSON-lines logger: everything to `app.log`, errors also to `errors.json` (as the seed names them).
 * Synchronous appends keep ordering and survive a crash right after the call.
 */
export class FileLogger implements Logger {
  private readonly minLevel: number;
  constructor(
    private readonly logsDir: string,
    private readonly clock: Clock,
    level: LogLevel = 'info',
    private readonly echo: ((entry: LogEntry) => void) | null = null,
  ) {
    this.minLevel = LEVEL_ORDER[level];
    fs.mkdirSync(logsDir, { recursive: true });
  }

  log(level: LogLevel, component: string, message: string, context?: Record<string, unknown>): void {
    if (LEVEL_ORDER[level] < this.minLevel) return;
    const entry: LogEntry = {
      time: new Date(this.clock.now()).toISOString(),
      level,
      component,
      message: redact(message) as string,
      ...(context ? { context: redact(context) as Record<string, unknown> } : {}),
    };
    const line = JSON.stringify(entry) + '\n';
    try {
      fs.appendFileSync(path.join(this.logsDir, 'app.log'), line);
      if (level === 'error') fs.appendFileSync(path.join(this.logsDir, 'errors.json'), line);
    } catch {
      // A full disk must not take the app down with it; the entry is lost, the app goes on.
    }
    this.echo?.(entry);
  }

  child(component: string): ComponentLogger {
    return {
      debug: (m, c) => this.log('debug', component, m, c),
      info: (m, c) => this.log('info', component, m, c),
      warn: (m, c) => this.log('warn', component, m, c),
      error: (m, c) => this.log('error', component, m, c),
    };
  }
}

/** For tests and benchmarks that do not care about log output. */
export class MemoryLogger implements Logger {
  readonly entries: LogEntry[] = [];
  log(level: LogLevel, component: string, message: string, context?: Record<string, unknown>): void {
    this.entries.push({ time: new Date().toISOString(), level, component, message, context });
  }
  child(component: string): ComponentLogger {
    return {
      debug: (m, c) => this.log('debug', component, m, c),
      info: (m, c) => this.log('info', component, m, c),
      warn: (m, c) => this.log('warn', component, m, c),
      error: (m, c) => this.log('error', component, m, c),
    };
  }
}
