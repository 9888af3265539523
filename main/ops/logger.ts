import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../core/clock';

import type { ComponentLogger, LogEntry, LogLevel, Logger } from '../core/logger';

export type { ComponentLogger, LogEntry, LogLevel, Logger } from '../core/logger';

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * A key holds a secret when, with `-` and `_` dropped, it ends in token/secret/password/…key, or mentions
 * authorization, cookies or credentials. `tokens`, `maxTokens` and `tokenCount` (counts) stay readable.
 */
export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_\s]/g, '');
  return (
    /(token|secret|password|passwd|passphrase|apikey|accesskey|privatekey|secretkey|signature)$/.test(k) ||
    /authorization|cookie|credential|password|secret/.test(k)
  );
}

const SECRET_NAME = String.raw`(?:access[-_]?token|refresh[-_]?token|token|api[-_]?key|apikey|password|passwd|secret|client[-_]?secret|sig|signature|key)`;

/** Secret shapes found inside free text; each keeps its label and masks the value. */
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // Authorization headers and bearer tokens.
  [/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1[redacted]'],
  [/\b(Basic\s+)[A-Za-z0-9+/=]{8,}/g, '$1[redacted]'],
  // Query strings: ?token=…&api_key=…
  [new RegExp(String.raw`([?&]${SECRET_NAME}=)[^&\s"']+`, 'gi'), '$1[redacted]'],
  // key=value, key: value and "key": "value" in text (config dumps, error messages, env listings).
  [
    /\b((?:[A-Za-z]+[-_])*(?:token|api[-_]?key|apikey|password|passwd|secret)["']?\s*[:=]\s*["']?)(?!\[redacted\])[^\s"',;&]{4,}/gi,
    '$1[redacted]',
  ],
  // Credentials in URLs: https://user:pass@host
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^@\s/]+@/gi, '$1[redacted]@'],
  // Well-known token shapes: OpenAI-style keys, GitHub tokens, JWTs.
  [/\bsk-[A-Za-z0-9_-]{16,}/g, '[redacted]'],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, '[redacted]'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, '[redacted]'],
];

export function redactText(text: string): string {
  let out = text;
  for (const [re, replacement] of SECRET_PATTERNS) out = out.replace(re, replacement);
  return out;
}

/** Secrets never reach a log file: keys that look secret are masked, and so are secret-shaped values in text. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[depth]';
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return redactText(`${value.name}: ${value.message}`);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) ? '[redacted]' : redact(v, depth + 1);
    return out;
  }
  return value;
}

/** Like `redact`, but secret keys are left out entirely (settings copied into a backup). */
export function withoutSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8) return null;
  if (Array.isArray(value)) return value.map((v) => withoutSecrets(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!isSecretKey(k)) out[k] = withoutSecrets(v, depth + 1);
    return out;
  }
  return typeof value === 'string' ? redactText(value) : value;
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
