import { engineMessage, type EngineText } from '../../preload/shared/engine-messages';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import {
  DEFAULT_LIMITS,
  DocumentError,
  detectKind,
  type DocumentErrorCode,
  type DocumentLimits,
  type ExtractedDocument,
} from './document-types';

// Plain CommonJS run with `eval` (as main/ops/backup/snapshot-copy.ts does): no worker file to locate next
// to a bundle or under a TypeScript loader. It requires only Node's modules and the library paths it is
// given, so esbuild never bundles the parsers (they load from node_modules like better-sqlite3).
const WORKER_SOURCE = String.raw`
const { parentPort, workerData: w } = require('node:worker_threads');

function fail(code, message) {
  const e = new Error(message);
  e.docCode = code;
  return e;
}

async function pdf(bytes) {
  const { getDocumentProxy } = require(w.libs.unpdf);
  let doc;
  try {
    doc = await getDocumentProxy(bytes, { verbosity: 0, isEvalSupported: false });
  } catch (e) {
    if (e && e.name === 'PasswordException') throw fail('encrypted', w.name + ' is protected by a password; remove the password and attach it again.');
    throw fail('unreadable', w.name + ' cannot be read as a PDF (' + (e && e.message) + ').');
  }
  try {
    if (doc.numPages > w.limits.maxPages) {
      throw fail('too-many-pages', w.name + ' has ' + doc.numPages + ' pages; at most ' + w.limits.maxPages + ' can be attached.');
    }
    const pages = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (typeof item.str !== 'string') continue;
        text += item.str + (item.hasEOL ? '\n' : item.str.endsWith(' ') ? '' : ' ');
      }
      page.cleanup();
      pages.push({ page: i, label: 'p. ' + i, text: text.replace(/[ \t]+\n/g, '\n').trim() });
    }
    if (pages.every((p) => p.text.length === 0)) {
      throw fail('no-text-layer', w.name + ' has no text layer: it looks like a scanned PDF (images of pages). ' +
        'Text recognition (OCR) is not available in AERIS-AQ; attach a PDF with selectable text.');
    }
    return { kind: 'pdf', pageCount: doc.numPages, pages };
  } finally {
    // The proxy's own destroy() is not always present in the serverless build; its loading task's is.
    const task = doc.loadingTask;
    if (task && typeof task.destroy === 'function') await task.destroy().catch(() => {});
  }
}

function rowsToText(rows) {
  // "Header: value; Header: value" lines keep each number next to what it measures, for search and model.
  const header = rows[0] || [];
  const lines = [];
  if (rows.length === 1) lines.push(header.join('; '));
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r];
    const parts = [];
    for (let c = 0; c < cells.length; c++) {
      const v = cells[c] == null ? '' : String(cells[c]).trim();
      if (v === '') continue;
      const h = header[c] == null ? '' : String(header[c]).trim();
      parts.push(h ? h + ': ' + v : v);
    }
    if (parts.length) lines.push(parts.join('; '));
  }
  return lines.join('\n');
}

async function xlsx(bytes) {
  const ExcelJS = require(w.libs.exceljs);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw fail('unreadable', w.name + ' cannot be read as an Excel workbook (' + (e && e.message) + ').');
  }
  const pages = [];
  let n = 0;
  wb.eachSheet((ws) => {
    n++;
    const rows = [];
    ws.eachRow({ includeEmpty: false }, (row) => {
      const cells = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => { cells[col - 1] = cell.text; });
      rows.push(cells);
    });
    pages.push({ page: n, label: 'sheet ' + ws.name, text: rowsToText(rows) });
  });
  if (n > w.limits.maxPages) throw fail('too-many-pages', w.name + ' has ' + n + ' sheets; at most ' + w.limits.maxPages + '.');
  return { kind: 'xlsx', pageCount: n, pages };
}

// European exports use ';' (their decimals carry ','): the separator is the one the header line uses most.
function sniffDelimiter(buf) {
  const first = buf.subarray(0, 4096).toString('utf8').split(/\r?\n/)[0].replace(/"[^"]*"/g, '');
  let best = ',';
  let most = 0;
  for (const d of [',', ';', '\t']) {
    const n = first.split(d).length - 1;
    if (n > most) { most = n; best = d; }
  }
  return best;
}

function csv(bytes) {
  const { parse } = require(w.libs.csvSync);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let rows;
  try {
    rows = parse(buf, {
      bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true,
      delimiter: w.name.toLowerCase().endsWith('.tsv') ? '\t' : sniffDelimiter(buf),
    });
  } catch (e) {
    throw fail('unreadable', w.name + ' cannot be read as CSV (' + (e && e.message) + ').');
  }
  return { kind: 'csv', pageCount: null, pages: [{ page: null, label: null, text: rowsToText(rows) }] };
}

function text(bytes) {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.subarray(0, 8192).includes(0)) throw fail('unreadable', w.name + ' is not a text file (it holds binary data).');
  return { kind: 'text', pageCount: null, pages: [{ page: null, label: null, text: buf.toString('utf8').replace(/^\uFEFF/, '') }] };
}

async function docx(bytes) {
  const mammoth = require(w.libs.mammoth);
  let r;
  try {
    r = await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
  } catch (e) {
    throw fail('unreadable', w.name + ' cannot be read as a Word document (' + (e && e.message) + ').');
  }
  return { kind: 'docx', pageCount: null, pages: [{ page: null, label: null, text: r.value.replace(/\n{3,}/g, '\n\n').trim() }] };
}

async function run() {
  const bytes = w.bytes;
  const out = w.kind === 'pdf' ? await pdf(bytes) : w.kind === 'xlsx' ? await xlsx(bytes)
    : w.kind === 'csv' ? csv(bytes) : w.kind === 'docx' ? await docx(bytes) : text(bytes);
  const chars = out.pages.reduce((n, p) => n + p.text.length, 0);
  if (chars === 0) throw fail('empty', w.name + ' holds no text.');
  if (chars > w.limits.maxChars) {
    throw fail('too-much-text', w.name + ' holds ' + chars + ' characters of text; at most ' + w.limits.maxChars + ' can be attached.');
  }
  parentPort.postMessage({ type: 'done', doc: out });
}

run().catch((e) => {
  parentPort.postMessage({ type: 'error', code: (e && e.docCode) || 'unreadable', message: String((e && e.message) || e) });
});
`;

type WorkerMessage =
  { type: 'done'; doc: ExtractedDocument } | { type: 'error'; code: DocumentErrorCode; message: string };

/** The parsers' entry files, resolved where this module lives (a checkout, a bundle in dist/, or the app). */
function libraryPaths(): Record<'unpdf' | 'exceljs' | 'mammoth' | 'csvSync', string> {
  const req = createRequire(import.meta.url);
  return {
    unpdf: req.resolve('unpdf'),
    exceljs: req.resolve('exceljs'),
    mammoth: req.resolve('mammoth'),
    csvSync: req.resolve('csv-parse/sync'),
  };
}

interface ExtractOptions {
  name: string;
  bytes: Uint8Array;
  limits?: Partial<DocumentLimits>;
}

export type Extractor = (opts: ExtractOptions) => Promise<ExtractedDocument>;

/**
 * The worker's refusals as message ids: the worker sends its code and English words only (it is plain eval'd
 * JavaScript), and the figures the UI needs are the limits it was given.
 */
function workerErrorText(code: DocumentErrorCode, name: string, limits: DocumentLimits): EngineText {
  switch (code) {
    case 'encrypted':
      return engineMessage('document.encrypted', { name });
    case 'too-many-pages':
      return engineMessage('document.tooManyPages', { name, max: limits.maxPages });
    case 'too-much-text':
      return engineMessage('document.tooMuchText', { name, max: limits.maxChars });
    case 'no-text-layer':
      return engineMessage('document.noTextLayer', { name });
    case 'empty':
      return engineMessage('document.noText', { name });
    default:
      return engineMessage('document.unreadable', { name });
  }
}

/**
 * Extracts the text of one attached file on a worker thread, so parsing a 500-page PDF never holds up chat
 * streams on the engine's thread. Rejects with a DocumentError whose message is meant for the user.
 */
export function extractInWorker(opts: ExtractOptions): Promise<ExtractedDocument> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  if (opts.bytes.byteLength > limits.maxBytes) {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    return Promise.reject(
      new DocumentError(
        'too-large',
        `${opts.name} is ${mb(opts.bytes.byteLength)}; files up to ${mb(limits.maxBytes)} can be attached.`,
        engineMessage('document.tooLarge', {
          name: opts.name,
          sizeBytes: opts.bytes.byteLength,
          maxBytes: limits.maxBytes,
        }),
      ),
    );
  }
  if (opts.bytes.byteLength === 0) {
    return Promise.reject(
      new DocumentError('empty', `${opts.name} is empty.`, engineMessage('document.empty', { name: opts.name })),
    );
  }
  let kind;
  try {
    kind = detectKind(opts.name, opts.bytes.subarray(0, 8));
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { name: opts.name, kind, bytes: opts.bytes, limits, libs: libraryPaths() },
      // A hostile or broken file may not take the engine's memory with it.
      resourceLimits: { maxOldGenerationSizeMb: 1024 },
    });
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(
            new DocumentError(
              'timeout',
              `${opts.name} took longer than ${limits.timeoutMs / 1000} s to read.`,
              engineMessage('document.timeout', { name: opts.name, seconds: limits.timeoutMs / 1000 }),
            ),
          ),
        ),
      limits.timeoutMs,
    );
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'done') settle(() => resolve(m.doc));
      else settle(() => reject(new DocumentError(m.code, m.message, workerErrorText(m.code, opts.name, limits))));
    });
    worker.on('error', (err) =>
      settle(() =>
        reject(
          new DocumentError(
            'unreadable',
            `${opts.name} could not be read: ${err.message}`,
            engineMessage('document.unreadable', { name: opts.name }),
          ),
        ),
      ),
    );
    worker.on('exit', (code) =>
      settle(() =>
        reject(
          new DocumentError(
            'unreadable',
            `${opts.name}: the reader stopped (exit code ${code}).`,
            engineMessage('document.unreadable', { name: opts.name }),
          ),
        ),
      ),
    );
  });
}
