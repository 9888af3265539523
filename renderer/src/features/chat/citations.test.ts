import { describe, expect, it } from 'vitest';
import { citationsIn } from './documents';

describe('citationsIn', () => {
  it('finds [file, p. N], [file, sheet X] and [file] once each, and ignores other brackets', () => {
    const text =
      'PM2.5 was 48 µg/m³ [annual-report.pdf, p. 2], ten times the guideline [annual-report.pdf, p.2]. ' +
      'KCCA measured 140.3 [partner-monitoring.xlsx, sheet partner]; siting rules [siting-guideline.docx]. ' +
      'See [1] and [a link](http://x).';
    expect(citationsIn(text)).toEqual([
      { file: 'annual-report.pdf', label: 'p. 2' },
      { file: 'partner-monitoring.xlsx', label: 'sheet partner' },
      { file: 'siting-guideline.docx', label: null },
    ]);
  });
});
