import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** One CSV record with the 1-based physical line it starts on (the header is line 1). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A record the reader could not split (bad quoting); the importer reports it by line and goes on. */
export interface CsvBadRecord {
  line: number;
  reason: string;
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
}

/** A quoted field may span lines (RFC 4180), but never this many: past it the quote is taken as broken. */
const MAX_LINES_PER_RECORD = 50;

const QUOTE = 34; // "

/** Splits one logical record with RFC 4180 quoting. Returns a reason string when the quoting is malformed. */
export function splitQuoted(text: string): string[] | string {
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (i < n && text.charCodeAt(i) === QUOTE) {
      // Quoted field: "" is an escaped quote; the closing quote must be followed by a comma or the end.
      let value = '';
      let start = ++i;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return 'unterminated quoted field';
        if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(start, q + 1);
          i = start = q + 2;
          continue;
        }
        value += text.slice(start, q);
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === n) return fields;
      if (text[i] !== ',') return `unexpected text after a closing quote (column ${fields.length})`;
      i++;
    } else {
      const comma = text.indexOf(',', i);
      const end = comma < 0 ? n : comma;
      const raw = text.slice(i, end);
      if (raw.includes('"')) return `stray quote in an unquoted field (column ${fields.length + 1})`;
      fields.push(raw);
      if (comma < 0) return fields;
      i = comma + 1;
    }
  }
}

function countQuotes(s: string): number {
  let c = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) c++;
  return c;
}

/**
 * Streams a CSV file as batches of records, one batch per chunk read: the file is never held whole.
 * Lines without quotes take a fast `split`; quoted ones get the RFC 4180 parser, and a quoted field may
 * continue on the next lines. A record that cannot be split is returned in `bad` with its line number.
 * Blank lines are skipped. A UTF-8 byte-order mark is dropped.
 */
export async function* readCsv(file: string, opts: CsvReadOptions = {}): AsyncGenerator<CsvBatch> {
  const stream = fs.createReadStream(file, { highWaterMark: opts.chunkBytes ?? 1 << 20 });
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let lineNo = 0;
  let bytesRead = 0;
  let first = true;
  /** Physical lines of a record whose quoted field is still open. */
  let pending: string[] = [];
  let pendingLine = 0;
  let pendingQuotes = 0;

  let records: CsvRecord[] = [];
  let bad: CsvBadRecord[] = [];

  const emitLogical = (text: string, line: number) => {
    const r = splitQuoted(text);
    if (typeof r === 'string') bad.push({ line, reason: r });
    else records.push({ line, fields: r });
  };

  // Feeds one physical line (without its line break). `line` is its number.
  const feed = (raw: string, line: number): void => {
    const text = raw.length > 0 && raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (pending.length > 0) {
      pending.push(text);
      pendingQuotes += countQuotes(text);
      if (pendingQuotes % 2 === 0) {
        const joined = pending.join('\n');
        const at = pendingLine;
        pending = [];
        emitLogical(joined, at);
      } else if (pending.length >= MAX_LINES_PER_RECORD) {
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
  };

  // An open quote that never closed: report its first line, then read the lines it swallowed on their own.
  const flushBrokenPending = (): void => {
    const lines = pending;
    const at = pendingLine;
    pending = [];
    bad.push({ line: at, reason: 'unterminated quoted field' });
    for (let k = 1; k < lines.length; k++) feed(lines[k]!, at + k);
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
      let text = carry + decoder.write(chunk);
      if (first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        feed(text.slice(start, nl), ++lineNo);
        start = nl + 1;
      }
      carry = text.slice(start);
      if (records.length > 0 || bad.length > 0) yield take();
    }
    const rest = carry + decoder.end();
    if (rest.length > 0) feed(rest, ++lineNo);
    while (pending.length > 0) flushBrokenPending();
    yield take();
  } finally {
    stream.destroy();
  }
}
