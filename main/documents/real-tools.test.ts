import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractInWorker } from './extract-in-worker';

// The committed fixtures were made by these tools; where they are installed, the files are made afresh so a
// newer pdfTeX or LibreOffice is read too. CI without them runs the fixture tests only.
const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const has = (cmd: string) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aeris-doc-tools-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function copyIn(name: string): string {
  fs.copyFileSync(path.join(FIXTURES, name), path.join(tmp, name));
  return path.join(tmp, name);
}

describe.skipIf(!has('pdflatex'))('a PDF made now by pdfTeX (skipped: pdflatex not installed)', () => {
  it('is read with its page numbers', async () => {
    copyIn('annual-report.tex');
    execFileSync('pdflatex', ['-interaction=batchmode', '-output-directory', tmp, 'annual-report.tex'], {
      cwd: tmp,
      stdio: 'ignore',
      timeout: 120_000,
    });
    const bytes = new Uint8Array(fs.readFileSync(path.join(tmp, 'annual-report.pdf')));
    const doc = await extractInWorker({ name: 'annual-report.pdf', bytes });
    expect(doc.pageCount).toBe(3);
    expect(doc.pages.find((p) => /ten times the\s+WHO 2021 guideline/.test(p.text))?.page).toBe(2);
  });
});

describe.skipIf(!has('soffice'))('DOCX and XLSX made now by LibreOffice (skipped: soffice not installed)', () => {
  it('are read', async () => {
    copyIn('siting-guideline.html');
    copyIn('partner-monitoring.csv');
    const profile = `-env:UserInstallation=file://${path.join(tmp, 'lo-profile')}`;
    for (const [file, to] of [
      ['siting-guideline.html', 'docx:MS Word 2007 XML'],
      ['partner-monitoring.csv', 'xlsx'],
    ] as const) {
      execFileSync('soffice', [profile, '--headless', '--convert-to', to, '--outdir', tmp, file], {
        cwd: tmp,
        stdio: 'ignore',
        timeout: 180_000,
      });
    }
    const docx = await extractInWorker({
      name: 'siting-guideline.docx',
      bytes: new Uint8Array(fs.readFileSync(path.join(tmp, 'siting-guideline.docx'))),
    });
    expect(docx.pages[0]!.text).toMatch(/at least 10 metres from a chimney/);
    const xlsx = await extractInWorker({
      name: 'partner-monitoring.xlsx',
      bytes: new Uint8Array(fs.readFileSync(path.join(tmp, 'partner-monitoring.xlsx'))),
    });
    expect(xlsx.pages[0]!.text).toMatch(/Site: Makerere; .*PM2\.5 \(ug\/m3\): 35\.9/);
  }, 240_000);
});
