/** What every service logs through; the file-backed implementation lives in ops/logger.ts. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

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
