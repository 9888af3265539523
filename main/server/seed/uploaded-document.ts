import fs from 'node:fs';
import path from 'node:path';
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
/** The original reads these too; a local parser for them is not built in yet. */
const NOT_YET = new Set(['.pdf', '.xlsx', '.xls']);

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
export async function processUpload(upload: UploadedFile, imports: ImportsService): Promise<ProcessedDocument> {
  const ext = path.extname(upload.filename).toLowerCase();
  if (NOT_YET.has(ext)) {
    throw new SeedHttpError(
      415,
      `Documents of type ${ext} are not supported yet by AERIS-AQ Desktop; send CSV or plain text (.csv, .txt, .md, .json).`,
    );
  }
  if (!TEXT_TYPES.has(ext)) {
    throw new SeedHttpError(
      400,
      `Unsupported file type: ${ext || '(none)'}. Allowed: CSV and plain text (.csv, .txt, .md, .json, .tsv).`,
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
