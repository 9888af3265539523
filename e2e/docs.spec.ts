import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/serve-app';

/** Every request the page makes, and every CSP violation it reports, from the first byte on. */
async function watch(page: Page) {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  // A string: the e2e programs have no DOM types. The page reports each violation on its console.
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) =>
      console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));`,
  });
  return { requests, violations };
}

test.describe('/docs: interactive API docs served offline', () => {
  test('lists the operations, makes no request off the server, and a "Try it out" call of /api/v1/health works', async ({
    app,
    page,
  }) => {
    const seen = await watch(page);
    await page.goto(`${app.url}/docs#token=${app.token}`);
    // The token leaves the address bar, as in the web UI.
    await expect(page).toHaveURL(`${app.url}/docs`);
    const health = page.locator('.opblock').filter({ hasText: '/api/v1/health' });
    await expect(health).toBeVisible();
    await expect(page.locator('.opblock-summary-path')).toHaveCount(10);
    await expect(page.locator('#token-note')).toBeHidden();

    await health.locator('.opblock-summary').click();
    await health.getByRole('button', { name: 'Try it out' }).click();
    await health.getByRole('button', { name: 'Execute' }).click();
    const status = health.locator('.live-responses-table .response .response-col_status').first();
    await expect(status).toHaveText('200');
    await expect(health.locator('.live-responses-table .response-col_description pre').first()).toContainText(
      '"status"',
    );

    // A form operation and the schemas render too (their widgets and highlighting, under the same CSP).
    const chat = page.locator('#operations-default-post_api_v1_agent_chat');
    await chat.locator('.opblock-summary').click();
    await chat.getByRole('button', { name: 'Try it out' }).click();
    await expect(chat.locator('.body-param-content-type select')).toHaveValue('multipart/form-data');
    const models = page.locator('section.models');
    await expect(models).not.toContainText('document_filename');
    await models.getByRole('button', { name: 'ChatResponse', exact: true }).click();
    await expect(models).toContainText('document_filename');

    const origin = new URL(app.url).origin;
    expect(seen.requests.filter((u) => new URL(u).origin !== origin && !u.startsWith('data:'))).toEqual([]);
    expect(seen.violations).toEqual([]);
  });

  test('without the token the page says how to give it, and a call is refused with 401', async ({ app, page }) => {
    const seen = await watch(page);
    await page.goto(`${app.url}/docs`);
    await expect(page.locator('#token-note')).toBeVisible();
    await expect(page.locator('#token-note')).toContainText('Authorize');
    const health = page.locator('.opblock').filter({ hasText: '/api/v1/health' });
    await health.locator('.opblock-summary').click();
    await health.getByRole('button', { name: 'Try it out' }).click();
    await health.getByRole('button', { name: 'Execute' }).click();
    await expect(health.locator('.live-responses-table .response .response-col_status').first()).toHaveText('401');
    expect(seen.violations).toEqual([]);
  });
});
