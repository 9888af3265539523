import type { CellValue } from 'exceljs';
import type { CsvBatch, CsvReadOptions, CsvRecord } from './csv-reader';
import { lineTooLong, MAX_RECORD_BYTES } from './csv-reader';

/** Rows handed over per batch (one store transaction each), as the CSV reader does per chunk. */
const ROWS_PER_BATCH = 2000;

/** True when the file starts like a ZIP archive, which is what an .xlsx is (whatever its name). */
export function looksLikeXlsx(head: Buffer): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * A cell as the text a CSV export would hold. Excel dates have no zone: exceljs gives them as the UTC
 * instant of the wall-clock time, so they are written back as a naive `YYYY-MM-DD HH:MM:SS` and read
 * in the import's zone like any naive timestamp.
 */
function cellText(v: CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return '';
    const base = `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())} ${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${pad(v.getUTCSeconds())}`;
    const ms = v.getUTCMilliseconds();
    return ms ? `${base}.${pad(ms, 3)}` : base;
  }
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('error' in v) return '';
  if ('formula' in v || 'sharedFormula' in v) {
    const result = (v as { result?: CellValue }).result;
    return result === undefined ? '' : cellText(result);
  }
  if ('text' in v) return String(v.text);
  return '';
}

/**
 * Streams the first worksheet of an .xlsx file as batches of records, the same shape the CSV reader
 * gives (`line` is the sheet's row number). The workbook is read with exceljs's streaming reader, so a
 * large sheet is never held whole; shared strings are cached as the format requires. Empty rows are
 * skipped; a row longer than the record cap refuses the file, as a CSV line would.
 */
export async function* readXlsx(file: string, opts: CsvReadOptions = {}): AsyncGenerator<CsvBatch> {
  const maxRecord = opts.maxRecordBytes ?? MAX_RECORD_BYTES;
  // exceljs is large (~850 KB bundled): it loads with the first workbook, not with every start of the app.
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles tell a date cell from a number; hyperlinks are not data.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let records: CsvRecord[] = [];
  for await (const sheet of reader) {
    for await (const row of sheet) {
      opts.signal?.throwIfAborted();
      const values = row.values as CellValue[];
      const fields: string[] = [];
      let bytes = 0;
      // row.values is 1-based: index 0 is always empty.
      for (let c = 1; c < values.length; c++) {
        const t = cellText(values[c]).trim();
        bytes += t.length + 1;
        fields.push(t);
      }
      if (bytes > maxRecord) throw lineTooLong(row.number, maxRecord);
      while (fields.length > 0 && fields[fields.length - 1] === '') fields.pop();
      if (fields.length === 0) continue;
      records.push({ line: row.number, fields });
      if (records.length >= ROWS_PER_BATCH) {
        yield { records, bad: [], bytesRead: 0 };
        records = [];
      }
    }
    // Partners' workbooks put the data on the first sheet; the others are notes and charts.
    break;
  }
  yield { records, bad: [], bytesRead: 0 };
}
