import fs from 'node:fs';
import path from 'node:path';
import { LOG_FILES, type LogFileKind } from './log-files';
import { matches, parseLogLine, type LogQuery, type LogRecord } from './log-reader';

/** Where a reader stopped in the current log file; a new inode or a shorter file means it was rotated. */
interface LogCursor {
  ino: number;
  offset: number;
}

/** At most this much new text is read per poll, so a burst of logging cannot stall the engine. */
const MAX_CHUNK = 1024 * 1024;

/**
 * Stateless live tail for a UI that polls: new matching lines since `cursor` (or none and the end of the
 * file as the cursor on the first poll). Only whole lines are read; a half-written one waits for the next poll.
 */
export function readLogSince(
  logsDir: string,
  q: Omit<LogQuery, 'tail' | 'since' | 'until'> & { file: LogFileKind },
  cursor: LogCursor | null,
  limit = 500,
): { records: LogRecord[]; cursor: LogCursor } {
  const file = path.join(logsDir, LOG_FILES[q.file]);
  const st = fs.statSync(file, { throwIfNoEntry: false });
  if (!st) return { records: [], cursor: { ino: 0, offset: 0 } };
  if (!cursor) return { records: [], cursor: { ino: st.ino, offset: st.size } };
  let offset = cursor.ino === st.ino && cursor.offset <= st.size ? cursor.offset : 0;
  if (st.size <= offset) return { records: [], cursor: { ino: st.ino, offset } };
  const fd = fs.openSync(file, 'r');
  let text: string;
  try {
    const buf = Buffer.alloc(Math.min(st.size - offset, MAX_CHUNK));
    const n = fs.readSync(fd, buf, 0, buf.length, offset);
    const chunk = buf.subarray(0, n);
    const lastNewline = chunk.lastIndexOf(0x0a);
    if (lastNewline < 0) return { records: [], cursor: { ino: st.ino, offset } };
    text = chunk.subarray(0, lastNewline).toString('utf8');
    offset += lastNewline + 1;
  } finally {
    fs.closeSync(fd);
  }
  const records: LogRecord[] = [];
  let previous: LogRecord | null = null;
  for (const line of text.split('\n')) {
    if (!line) continue;
    const rec = parseLogLine(line, q.file, previous);
    previous = rec;
    if (matches(rec, q)) records.push(rec);
  }
  return { records: records.slice(-limit), cursor: { ino: st.ino, offset } };
}
