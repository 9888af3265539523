import path from 'node:path';
import { EMBEDDING_MODELS, pullable } from './emulators/ollama-emulator';
import { expect, test } from './fixtures/serve-app';

const FIXTURES = path.resolve(import.meta.dirname, '../main/documents/fixtures');

test.describe('documents library and the embedding model (serve mode, in the browser)', () => {
  test('offers the embedding model in words, pulls it only on a click, re-indexes; the library re-indexes, shares and deletes; an .xls is refused in words', async ({
    app,
    page,
  }) => {
    // Ollama has chat models but not nomic-embed-text (the default); its registry offers it.
    app.emulator.publish(pullable(EMBEDDING_MODELS['nomic-embed-text:latest']!));
    await app.open(page);

    // 1. A PDF attached without an embedding model: keyword search, and the offer says what better search costs.
    await page.getByLabel('Attach documents').setInputFiles(path.join(FIXTURES, 'annual-report.pdf'));
    const chip = page.getByTestId('doc-chip');
    await expect(chip).toContainText('annual-report.pdf');
    await expect(chip).toContainText('keywords only');
    const offer = page.getByTestId('doc-embed-offer');
    await expect(offer).toContainText('Better search needs a small download: nomic-embed-text, 274 MB');
    // The hardware advisor's verdict for this machine, in words.
    await expect(offer).toContainText(/(CPU only|Full GPU|Partial GPU) · .*needs [\d.]+ [MG]B/);
    expect(app.emulator.requests.filter((r) => r.path === '/api/pull')).toHaveLength(0);

    // 2. Download: the pull manager fetches it, then the keyword-only document is re-indexed with it.
    await offer.getByRole('button', { name: 'Download' }).click();
    await expect(chip).not.toContainText('keywords only');
    await expect(offer).toHaveCount(0);
    const pulls = app.emulator.requests.filter((r) => r.path === '/api/pull');
    expect(
      pulls.map((r) => (r.body as { model?: string; name?: string }).model ?? (r.body as { name: string }).name),
    ).toEqual(['nomic-embed-text:latest']);
    expect(
      app.emulator.requests.some(
        (r) => r.path === '/api/embed' && (r.body as { model: string }).model === 'nomic-embed-text',
      ),
    ).toBe(true);

    // 3. The library: size, pages, passages, the model behind the vectors; re-index; delete.
    await page.getByRole('button', { name: 'Library' }).click();
    const dialog = page.getByRole('dialog', { name: 'Documents' });
    const row = dialog.getByTestId('doc-lib-row');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('annual-report.pdf');
    await expect(row).toContainText('kB');
    await expect(row.locator('td').nth(3)).toHaveText('3');
    await expect(row.locator('td').nth(4)).toHaveText('3');
    await expect(row).toContainText('nomic-embed-text + keywords');
    const embedsBefore = app.emulator.requests.filter((r) => r.path === '/api/embed').length;
    await row.getByRole('button', { name: 'Re-index annual-report.pdf' }).click();
    await expect(row.getByRole('button', { name: 'Re-index annual-report.pdf' })).toBeEnabled();
    await expect
      .poll(() => app.emulator.requests.filter((r) => r.path === '/api/embed').length)
      .toBeGreaterThan(embedsBefore);

    // Shared with every conversation, then kept to this one again.
    await row.getByRole('button', { name: 'Share with all' }).click();
    await expect(row.locator('td').nth(1)).toHaveText('Shared');
    await expect(chip).toContainText('shared');
    await row.getByRole('button', { name: 'Keep to this conversation' }).click();
    await expect(row.locator('td').nth(1)).toHaveText('annual-report.pdf');

    await row.getByRole('button', { name: 'Delete annual-report.pdf' }).click();
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(dialog.getByTestId('doc-lib-row')).toHaveCount(0);
    await expect(dialog).toContainText('No documents yet');
    await dialog.getByRole('button', { name: /close/i }).click();
    await expect(chip).toHaveCount(0);

    // 4. An old Excel 97-2003 workbook (made by LibreOffice) is refused in words.
    await page.getByLabel('Attach documents').setInputFiles(path.join(FIXTURES, 'partner-monitoring.xls'));
    await expect(page.locator('.doc-error')).toHaveText(
      'partner-monitoring.xls is an old Excel 97-2003 workbook, which AERIS-AQ cannot read. Save it as .xlsx in Excel or LibreOffice and attach again.',
    );
    await expect(chip).toHaveCount(0);
  });
});
