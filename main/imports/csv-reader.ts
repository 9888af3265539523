import { engineMessage, type EngineText } from '../../preload/shared/engine-messages';
import fs from 'node:fs';
import { CsvError, parse } from 'csv-parse/sync';
import { AppError } from '../core/errors';

/** One CSV record with the 1-based physical line it starts on (the header is line 1). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A record the reader could not split (bad quoting); the importer reports it by line and goes on. */
interface CsvBadRecord {
  line: number;
  reason: string;
  text?: EngineText;
}

export interface CsvBatch {
  records: CsvRecord[];
  bad: CsvBadRecord[];
  /** Bytes of the file consumed so far. */
  bytesRead: number;
}

export interface CsvReadOptions {
  /** Bytes per read; records are handed over per chunk so the caller can insert them in one transaction. */
  chunkBytes?: number;
  signal?: AbortSignal;
  /** Sees every raw chunk (the importer hashes the file in the same pass). */
  onChunk?: (chunk: Buffer) => void;
  /** A record (all its lines) longer than this refuses the file; default {@link MAX_RECORD_BYTES}. */
  maxRecordBytes?: number;
}

/** A sensor row is a few hundred bytes; a line past this is not sensor data (or lost its line breaks). */
export const MAX_RECORD_BYTES = 1 << 20;

/** A quoted field may span lines (RFC 4180), but never this many: past it the quote is taken as broken. */
const MAX_LINES_PER_RECORD = 50;

const NEWLINE = 0x0a;

/** csv-parse's error codes, in the words the import report uses. */
function reasonFor(err: CsvError): string {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'unterminated quoted field';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `unexpected text after a closing quote (column ${((err.column as number | undefined) ?? 0) + 1})`;
    case 'INVALID_OPENING_QUOTE':
      return `stray quote in an unquoted field (column ${(err.column as number | undefined) ?? 1})`;
    default:
      return err.message;
  }
}

/**
 * Splits one logical record (quoted fields may hold line breaks) with csv-parse, strict RFC 4180 quoting.
 * Returns a reason string when the quoting is malformed.
 */
export function splitQuoted(text: string): string[] | string {
  try {
    const rows: string[][] = parse(text, { relax_column_count: true, record_delimiter: '\n' });
    return rows[0] ?? [''];
  } catch (err) {
    if (err instanceof CsvError) return reasonFor(err);
    throw err;
  }
}

function countQuotes(s: string): number {
  let c = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) c++;
  return c;
}

/** The refusal for a line past the cap; `line` is -1 when the line's number is not known (an upload). */
export function lineTooLong(line: number, max: number): AppError {
  return new AppError(
    'payload_too_large',
    `${line > 0 ? `Line ${line}` : 'A line'} is longer than ${max.toLocaleString('en')} bytes: this is not a sensor data file (or its line breaks are missing). Nothing more was read.`,
    { line, maxRecordBytes: max },
    line > 0
      ? engineMessage('error.lineTooLong', { line, maxBytes: max })
      : engineMessage('error.someLineTooLong', { maxBytes: max }),
  );
}

/**
 * Streams a CSV file as batches of records, one batch per chunk read: the file is never held whole, and
 * the work is linear in its size (a line is gathered as byte slices and joined once, when it ends).
 * A record longer than `maxRecordBytes` refuses the file. Lines without quotes take a fast `split`; quoted
 * records are parsed by csv-parse, and a quoted field may continue on the next lines (up to 50). A record
 * that cannot be parsed is returned in `bad` with its line number and costs that line only.
 * Blank lines are skipped. A UTF-8 byte-order mark is dropped.
 */
export async function* readCsv(file: string, opts: CsvReadOptions = {}): AsyncGenerator<CsvBatch> {
  const maxRecord = opts.maxRecordBytes ?? MAX_RECORD_BYTES;
  const stream = fs.createReadStream(file, { highWaterMark: opts.chunkBytes ?? 1 << 20 });
  let lineNo = 0;
  let bytesRead = 0;
  let first = true;
  /** Byte slices of the physical line not yet ended. */
  let parts: Buffer[] = [];
  let partBytes = 0;
  /** Physical lines of a record whose quoted field is still open. */
  let pending: string[] = [];
  let pendingLine = 0;
  let pendingQuotes = 0;
  let pendingBytes = 0;

  let records: CsvRecord[] = [];
  let bad: CsvBadRecord[] = [];

  const emitLogical = (text: string, line: number) => {
    const r = splitQuoted(text);
    if (typeof r === 'string') bad.push({ line, reason: r });
    else records.push({ line, fields: r });
  };

  // Feeds one physical line (without its line break). `line` is its number.
  const feed = (raw: string, line: number): void => {
    let text = raw.length > 0 && raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (pending.length > 0) {
      pending.push(text);
      pendingQuotes += countQuotes(text);
      pendingBytes += text.length;
      if (pendingQuotes % 2 === 0) {
        const joined = pending.join('\n');
        const at = pendingLine;
        pending = [];
        emitLogical(joined, at);
      } else if (pending.length >= MAX_LINES_PER_RECORD || pendingBytes > maxRecord) {
        flushBrokenPending();
      }
      return;
    }
    if (text.length === 0) return;
    if (!text.includes('"')) {
      records.push({ line, fields: text.split(',') });
      return;
    }
    const quotes = countQuotes(text);
    if (quotes % 2 === 0) {
      emitLogical(text, line);
      return;
    }
    pending = [text];
    pendingLine = line;
    pendingQuotes = quotes;
    pendingBytes = text.length;
  };

  // An open quote that never closed: report its first line, then read the lines it swallowed on their own.
  const flushBrokenPending = (): void => {
    const lines = pending;
    const at = pendingLine;
    pending = [];
    bad.push({
      line: at,
      reason: 'unterminated quoted field',
      text: engineMessage('importRow.unterminatedQuote', {}),
    });
    for (let k = 1; k < lines.length; k++) feed(lines[k]!, at + k);
  };

  const endLine = (tail: Buffer): void => {
    const bytes = parts.length === 0 ? tail : Buffer.concat([...parts, tail]);
    parts = [];
    partBytes = 0;
    // A line feed byte never occurs inside a UTF-8 sequence, so each line decodes on its own.
    feed(bytes.toString('utf8'), ++lineNo);
  };

  const take = (): CsvBatch => {
    const batch = { records, bad, bytesRead };
    records = [];
    bad = [];
    return batch;
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      opts.signal?.throwIfAborted();
      bytesRead += chunk.length;
      opts.onChunk?.(chunk);
      let start = 0;
      for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
        if (partBytes + nl - start > maxRecord) throw lineTooLong(lineNo + 1, maxRecord);
        endLine(chunk.subarray(start, nl));
        start = nl + 1;
      }
      if (start < chunk.length) {
        partBytes += chunk.length - start;
        if (partBytes > maxRecord) throw lineTooLong(lineNo + 1, maxRecord);
        parts.push(Buffer.from(chunk.subarray(start))); // a copy: the stream may reuse its buffer
      }
      if (records.length > 0 || bad.length > 0) yield take();
    }
    if (parts.length > 0) endLine(Buffer.alloc(0));
    while (pending.length > 0) flushBrokenPending();
    yield take();
  } finally {
    stream.destroy();
  }
}
