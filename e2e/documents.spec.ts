import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { untilReplyEnds } from './fixtures/chat';
import { expect, test } from './fixtures/serve-app';

const FIXTURES = path.resolve(import.meta.dirname, '../main/documents/fixtures');

/** A DataTransfer holding one of the fixture files, built in the page (for drop and paste events). */
function transferOf(page: Page, name: string, type: string) {
  const bytes = [...fs.readFileSync(path.join(FIXTURES, name))];
  return page.evaluateHandle(
    ({ bytes, name, type }) => {
      // Runs in the page; this tsconfig has no DOM types.
      const g = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } };
        File: new (parts: unknown[], name: string, opts: { type: string }) => unknown;
      };
      const d = new g.DataTransfer();
      d.items.add(new g.File([new Uint8Array(bytes)], name, { type }));
      return d;
    },
    { bytes, name, type },
  );
}

/** Asks in the open chat once the reply before has ended (the composer ignores Enter while one is written). */
async function ask(page: Page, question: string) {
  await untilReplyEnds(page);
  await page.getByLabel('Message').fill(question);
  await page.keyboard.press('Enter');
}

test.describe('documents in the chat (serve mode, in the browser)', () => {
  test('a dropped PDF, a picked XLSX and a pasted DOCX answer with citations that open the passage; a scan is refused', async ({
    app,
    page,
  }) => {
    // A model with tools looks the question up, then answers citing what it found.
    for (const [match, query, answer] of [
      ['Kampala', 'annual mean PM2.5 Kampala', 'The annual mean was 48 µg/m³ [annual-report.pdf, p. 2].'],
      ['Jinja Road', 'PM10 Jinja Road', 'KCCA measured 140.3 µg/m³ [partner-monitoring.xlsx, sheet partner].'],
      ['chimney', 'distance from a chimney', 'At least 10 metres [siting-guideline.docx].'],
    ] as const) {
      app.emulator.script({
        match,
        times: 1,
        reply: { toolCalls: [{ name: 'search_documents', arguments: { query } }] },
      });
      app.emulator.script({ match, reply: { content: answer } });
    }
    await app.open(page);
    const zone = page.getByTestId('doc-dropzone');

    // 1. Drop a PDF: it starts a conversation and shows as a chip with its pages.
    const pdf = await transferOf(page, 'annual-report.pdf', 'application/pdf');
    await zone.dispatchEvent('dragover', { dataTransfer: pdf });
    await zone.dispatchEvent('drop', { dataTransfer: pdf });
    await expect(page.getByTestId('doc-chip')).toContainText('annual-report.pdf');
    await expect(page.getByTestId('doc-chip')).toContainText('3 pages');
    await ask(page, 'What was the annual mean PM2.5 in Kampala?');
    await expect(page.locator('.from-assistant .markdown').last()).toContainText('48 µg/m³');
    await page.getByRole('button', { name: 'annual-report.pdf, p. 2', exact: true }).click();
    await expect(page.getByTestId('doc-passage')).toContainText('annual mean PM2.5 concentration in Kampala was 48');

    // 2. Pick an XLSX from the keyboard: the Attach button takes the focus and Enter opens the picker.
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach', exact: true }).focus();
    await page.keyboard.press('Enter');
    await (await chooser).setFiles(path.join(FIXTURES, 'partner-monitoring.xlsx'));
    await expect(page.getByTestId('doc-chip')).toHaveCount(2);
    await ask(page, 'What PM10 was measured at Jinja Road?');
    await expect(page.locator('.from-assistant .markdown').last()).toContainText('140.3');
    await page.getByRole('button', { name: 'partner-monitoring.xlsx, sheet partner', exact: true }).click();
    await expect(page.getByTestId('doc-passage').last()).toContainText('PM10 (ug/m3): 140.3');

    // 3. Paste a DOCX into the message box.
    const docx = await transferOf(
      page,
      'siting-guideline.docx',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    // A real ClipboardEvent (bubbling, as a paste does), so React's root listener sees its files.
    await page.getByLabel('Message').evaluate((el, data) => {
      const g = globalThis as unknown as {
        ClipboardEvent: new (type: string, init: { clipboardData: unknown; bubbles: boolean }) => unknown;
      };
      (el as unknown as { dispatchEvent(e: unknown): void }).dispatchEvent(
        new g.ClipboardEvent('paste', { clipboardData: data, bubbles: true }),
      );
    }, docx);
    await expect(page.getByTestId('doc-chip')).toHaveCount(3);
    await ask(page, 'How far from a chimney must a sensor be?');
    await expect(page.locator('.from-assistant .markdown').last()).toContainText('10 metres');
    await page.getByRole('button', { name: 'siting-guideline.docx', exact: true }).click();
    await expect(page.getByTestId('doc-passage').last()).toContainText('at least 10 metres from a chimney');

    // 4. A scanned PDF is refused in words.
    await page.getByLabel('Attach documents').setInputFiles(path.join(FIXTURES, 'scanned-report.pdf'));
    await expect(page.locator('.doc-error')).toContainText('no text layer');
    await expect(page.locator('.doc-error')).toContainText('(OCR) is not available');
    await expect(page.getByTestId('doc-chip')).toHaveCount(3);
  });
});
