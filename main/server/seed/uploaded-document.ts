import fs from 'node:fs';
import path from 'node:path';
import { DocumentError } from '../../documents/document-types';
import type { DocumentsService } from '../../documents/documents-service';
import type { ImportsService } from '../../imports/imports-service';
import { SeedHttpError } from './fastapi-errors';
import type { UploadedFile } from './form-body';

/** What an upload adds to the question, and what the reply reports about it. */
export interface ProcessedDocument {
  filename: string;
  /** Appended to the question the model reads. */
  context: string;
}

/** Text sent to the model from one file: enough for a small model's context, not a whole data logger dump. */
const DOCUMENT_TEXT_CHARS = 12_000;
const TEXT_TYPES = new Set(['.csv', '.txt', '.md', '.json', '.tsv']);
/** Read by the documents pipeline (main/documents): extracted on a worker, chunked, indexed for search. */
const LIBRARY_TYPES = new Set(['.pdf', '.xlsx', '.xlsm', '.xls', '.docx']);

function textOf(file: string): { text: string; truncated: boolean } {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(DOCUMENT_TEXT_CHARS * 4);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('utf8');
    return text.length > DOCUMENT_TEXT_CHARS
      ? { text: text.slice(0, DOCUMENT_TEXT_CHARS), truncated: true }
      : { text, truncated: fs.fstatSync(fd).size > n };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Turns an uploaded file into context for the question. A CSV goes through the sensor-data import as well
 * (so the agent's imported-data tool can chart and average it); a file the importer does not recognise is
 * still attached as text. The caller deletes the upload afterwards.
 */
/** Whether an upload goes to the documents library (and so needs its conversation to exist first). */
export function isLibraryUpload(filename: string): boolean {
  return LIBRARY_TYPES.has(path.extname(filename).toLowerCase());
}

export async function processUpload(
  upload: UploadedFile,
  imports: ImportsService,
  library?: { documents: DocumentsService; sessionId: string },
): Promise<ProcessedDocument> {
  const ext = path.extname(upload.filename).toLowerCase();
  if (LIBRARY_TYPES.has(ext) && library) return addToLibrary(upload, library.documents, library.sessionId);
  if (!TEXT_TYPES.has(ext)) {
    throw new SeedHttpError(
      400,
      `Unsupported file type: ${ext || '(none)'}. Allowed: PDF, Excel (.xlsx), Word (.docx), CSV and plain text (.csv, .txt, .md, .json, .tsv).`,
    );
  }
  const { text, truncated } = textOf(upload.path);
  const notes: string[] = [];
  if (ext === '.csv') {
    // The importer keys on the file's bytes; its own extension check wants `.csv`.
    const csv = `${upload.path}.csv`;
    fs.renameSync(upload.path, csv);
    upload.path = csv;
    try {
      const r = await imports.importFile(csv, { displayName: upload.filename });
      notes.push(
        `Imported as sensor data (import #${r.id}, ${r.format}): ${r.rowsImported} rows stored, ${r.duplicates} already present, sites: ${r.sites.map((s) => s.name).join(', ') || 'none'}.`,
      );
    } catch (err) {
      notes.push(`Not imported as sensor data (${(err as Error).message}); attached as text only.`);
    }
  }
  const context = [
    `[Attached file: ${upload.filename}${truncated ? `, first ${DOCUMENT_TEXT_CHARS} characters` : ''}]`,
    ...notes,
    '```',
    text,
    '```',
  ].join('\n');
  return { filename: upload.filename, context };
}

/**
 * PDF, Excel and Word files join the conversation's documents: the model searches them (search_documents,
 * or passages put before a model without tools) and cites `[file, p. N]`. A file that cannot be read is
 * refused with the reason (a scanned PDF: no text layer, no OCR).
 */
async function addToLibrary(
  upload: UploadedFile,
  documents: DocumentsService,
  sessionId: string,
): Promise<ProcessedDocument> {
  try {
    const { document, note } = await documents.add({
      name: upload.filename,
      bytes: new Uint8Array(fs.readFileSync(upload.path)),
      sessionId,
    });
    const size = document.pages ? `, ${document.pages} ${document.kind === 'xlsx' ? 'sheets' : 'pages'}` : '';
    const context = [
      `[Attached document: ${document.name} (${document.kind.toUpperCase()}${size}). Look things up in it with ` +
        `search_documents and cite it as [${document.name}, p. N].]`,
      ...(note ? [note] : []),
    ].join('\n');
    return { filename: document.name, context };
  } catch (err) {
    if (!(err instanceof DocumentError)) throw err;
    const status = err.code === 'too-large' ? 413 : err.code === 'unsupported' ? 415 : 400;
    throw new SeedHttpError(status, err.message);
  }
}
