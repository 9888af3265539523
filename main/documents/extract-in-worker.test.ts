import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DocumentError } from './document-types';
import { extractInWorker } from './extract-in-worker';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)));

async function refusal(p: Promise<unknown>): Promise<DocumentError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DocumentError);
  return err as DocumentError;
}

describe('extractInWorker (real files, on a worker thread)', () => {
  it('reads a pdfTeX PDF page by page, with page numbers', async () => {
    const doc = await extractInWorker({ name: 'annual-report.pdf', bytes: fixture('annual-report.pdf') });
    expect(doc.kind).toBe('pdf');
    expect(doc.pageCount).toBe(3);
    expect(doc.pages.map((p) => [p.page, p.label])).toEqual([
      [1, 'p. 1'],
      [2, 'p. 2'],
      [3, 'p. 3'],
    ]);
    expect(doc.pages[1]!.text).toMatch(/annual mean PM2\.5 concentration in Kampala was 48/);
    expect(doc.pages[0]!.text).not.toMatch(/PM2\.5/);
    expect(doc.pages[2]!.text).toMatch(/calibrate sensors quarterly/);
  });

  it('refuses a scanned PDF (no text layer) in words, saying OCR is not available', async () => {
    const err = await refusal(extractInWorker({ name: 'scanned-report.pdf', bytes: fixture('scanned-report.pdf') }));
    expect(err.code).toBe('no-text-layer');
    expect(err.message).toMatch(/scanned PDF/);
    expect(err.message).toMatch(/OCR\) is not available/);
  });

  it('refuses a PDF over the page limit, before reading its pages', async () => {
    const err = await refusal(
      extractInWorker({ name: 'annual-report.pdf', bytes: fixture('annual-report.pdf'), limits: { maxPages: 2 } }),
    );
    expect(err.code).toBe('too-many-pages');
    expect(err.message).toBe('annual-report.pdf has 3 pages; at most 2 can be attached.');
  });

  it('refuses a file over the size limit without starting a worker', async () => {
    const err = await refusal(
      extractInWorker({ name: 'big.pdf', bytes: new Uint8Array(2 * 1024 * 1024), limits: { maxBytes: 1024 * 1024 } }),
    );
    expect(err.code).toBe('too-large');
    expect(err.message).toBe('big.pdf is 2.0 MB; files up to 1.0 MB can be attached.');
  });

  it('refuses a damaged PDF and a renamed file with reasons', async () => {
    const pdf = fixture('annual-report.pdf');
    const cut = pdf.slice(0, 400); // truncated mid-file: no page tree, no xref
    expect((await refusal(extractInWorker({ name: 'cut.pdf', bytes: cut }))).code).toBe('unreadable');
    const renamed = await refusal(extractInWorker({ name: 'notes.pdf', bytes: fixture('siting-guideline.docx') }));
    expect(renamed.message).toMatch(/not a PDF/);
  });

  it('refuses a real Excel 97-2003 workbook (made by LibreOffice) in words, also renamed, and an old .doc', async () => {
    const xls = fixture('partner-monitoring.xls');
    for (const name of ['partner-monitoring.xls', 'partner-monitoring.xlsx', 'readings.csv']) {
      const old = await refusal(extractInWorker({ name, bytes: xls }));
      expect(old.code, name).toBe('unsupported');
      expect(old.message).toBe(
        `${name} is an old Excel 97-2003 workbook, which AERIS-AQ cannot read. Save it as .xlsx in Excel or LibreOffice and attach again.`,
      );
    }
    const doc = await refusal(extractInWorker({ name: 'guideline.doc', bytes: xls }));
    expect(doc.message).toBe(
      'guideline.doc is an old Word 97-2003 document, which AERIS-AQ cannot read. Save it as .docx in Word or LibreOffice and attach again.',
    );
  });

  it('reads a LibreOffice DOCX as one page-less text', async () => {
    const doc = await extractInWorker({ name: 'siting-guideline.docx', bytes: fixture('siting-guideline.docx') });
    expect(doc).toMatchObject({ kind: 'docx', pageCount: null });
    expect(doc.pages).toHaveLength(1);
    expect(doc.pages[0]!.text).toMatch(/Field guideline for sensor siting/);
    expect(doc.pages[0]!.text).toMatch(/between 1\.5 and 4 metres above the ground/);
  });

  it('reads a LibreOffice XLSX sheet by sheet, each value next to its column name', async () => {
    const doc = await extractInWorker({ name: 'partner-monitoring.xlsx', bytes: fixture('partner-monitoring.xlsx') });
    expect(doc).toMatchObject({ kind: 'xlsx', pageCount: 1 });
    expect(doc.pages[0]!.label).toBe('sheet partner');
    expect(doc.pages[0]!.text).toMatch(/Site: Jinja Road; Date: .*; PM2\.5 \(ug\/m3\): 88\.1/);
  });

  it('reads a CSV with a real parser: each value next to its column name', async () => {
    const doc = await extractInWorker({ name: 'partner-monitoring.csv', bytes: fixture('partner-monitoring.csv') });
    expect(doc.kind).toBe('csv');
    expect(doc.pages[0]!.text.split('\n')[2]).toBe(
      'Site: Jinja Road; Date: 2025-03-01; PM2.5 (ug/m3): 88.1; PM10 (ug/m3): 140.3; Operator: KCCA',
    );
  });

  it('reads semicolon CSVs, Markdown and refuses binary passed off as text', async () => {
    const semi = new TextEncoder().encode('site;pm25\n"Gulu";12,5\n');
    expect((await extractInWorker({ name: 'eu.csv', bytes: semi })).pages[0]!.text).toBe('site: Gulu; pm25: 12,5');
    const md = new TextEncoder().encode('\uFEFF# Notes\n\nOzone peaks after noon.\n');
    expect((await extractInWorker({ name: 'notes.md', bytes: md })).pages[0]!.text).toMatch(/^# Notes/);
    const bin = new Uint8Array([0x68, 0x69, 0x00, 0x01]);
    expect((await refusal(extractInWorker({ name: 'x.txt', bytes: bin }))).message).toMatch(/not a text file/);
  });

  it('refuses a kind it cannot read', async () => {
    const err = await refusal(extractInWorker({ name: 'photo.png', bytes: new Uint8Array([0x89, 0x50]) }));
    expect(err.message).toMatch(/Attach PDF, XLSX, CSV, TXT, Markdown or DOCX/);
  });
});
