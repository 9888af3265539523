import { dataPaths } from '../../core/paths';
import { LOG_FILE_KINDS, type LogFileKind } from '../../ops/log-files';
import { followLogs, formatRecord, LOG_LEVELS, readLogs, type LogQuery, type LogRecord } from '../../ops/log-reader';
import type { LogLevel } from '../../core/logger';
import type { CliCommand, CliContext } from '../cli-types';
import { UsageError } from '../cli-types';
import { parseCommandArgs } from '../parse-command-args';

const USAGE = `Usage: aeris logs [--file app|errors|access|ollama] [--level L] [--since T] [--until T]
                  [--grep S] [--tail N] [--follow] [--json]

  --file    which log (default app); rotated and gzipped days are read too
  --level   debug | info | warn | error: that level and above
  --since   a time (2026-01-10, 2026-01-10T08:00) or an age (30m, 2h, 7d)
  --tail    the last N entries (default 100 when neither --since nor --until is given; 0 = all)
  --follow  keep printing new entries until Ctrl-C
  --json    one JSON object per line`;

const AGE = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/i;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30m`, `2h`, `7d` back from now, or a date/time. */
export function parseTime(value: string, now: number): number {
  const age = AGE.exec(value.trim());
  if (age) return now - Number(age[1]) * UNIT_MS[age[2]!.toLowerCase()]!;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new UsageError(`cannot read "${value}" as a time (try 2026-01-10T08:00 or 2h)`);
  return t;
}

/** The command's body, with the stop signal injectable (tests); the CLI stops on Ctrl-C. */
export async function runLogs(argv: string[], ctx: CliContext, signal: AbortSignal, now = Date.now()): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      file: { type: 'string' },
      level: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      grep: { type: 'string' },
      tail: { type: 'string' },
      follow: { type: 'boolean', short: 'f' },
      json: { type: 'boolean' },
    },
    allowPositionals: false,
  });
  const file = (values.file ?? 'app') as LogFileKind;
  if (!LOG_FILE_KINDS.includes(file)) throw new UsageError(`--file must be one of ${LOG_FILE_KINDS.join(', ')}`);
  if (values.level !== undefined && !LOG_LEVELS.includes(values.level as LogLevel)) {
    throw new UsageError(`--level must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const tail = values.tail === undefined ? undefined : Number(values.tail);
  if (tail !== undefined && !(Number.isInteger(tail) && tail >= 0))
    throw new UsageError('--tail must be a whole number');
  const query: LogQuery = {
    file,
    ...(values.level ? { level: values.level as LogLevel } : {}),
    ...(values.since ? { since: parseTime(values.since, now) } : {}),
    ...(values.until ? { until: parseTime(values.until, now) } : {}),
    ...(values.grep ? { grep: values.grep } : {}),
    tail: tail ?? (values.since || values.until ? 0 : 100),
  };
  const print = (r: LogRecord) => {
    const { raw: _raw, ...entry } = r;
    ctx.io.stdout((values.json ? JSON.stringify(entry) : formatRecord(r)) + '\n');
  };
  const logsDir = dataPaths(ctx.globals.dataDir).logsDir;
  for (const r of await readLogs(logsDir, query)) print(r);
  if (!values.follow || signal.aborted) return 0;
  const { until: _until, tail: _tail, ...live } = query;
  const stop = followLogs(logsDir, live, print, { pollMs: 250 });
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  stop();
  return 0;
}

export const logsCommand: CliCommand = {
  name: 'logs',
  summary: 'Show the logs (filter, search, follow)',
  usage: USAGE,
  async run(argv, ctx) {
    const ac = new AbortController();
    const onSignal = () => ac.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      return await runLogs(argv, ctx, ac.signal);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
