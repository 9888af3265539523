import type { ComponentLogger, LogEntry, LogLevel, Logger } from '../../main/core/logger';

/** For tests and benchmarks that do not care about log output, or read the entries back. */
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
