import { chromium, type Browser } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM_LAUNCH } from '../e2e/chromium-launch';
import { makeTempDir } from '../test/helpers/temp-dir';
import { spawnUntil, startEmulatorProcess, startServe } from './serve-process';
import { fmt, interleaved, loadNote, median, spread, verdict, type BenchFigure } from './stats';

/**
 * Time to interactive, injected into every document before its own scripts run, and read back from the page.
 *
 * Interactive means: a <textarea> (the composer) and a <button> whose text holds "New chat" are both in the
 * document, rendered (`checkVisibility()` with `visibility`, and a box of non-zero size), not disabled (nor
 * read-only, aria-disabled or inside an inert subtree) — AND the task that made them so has ended: the
 * figure is taken in the next task the page's own event loop runs (a MessageChannel message posted the moment
 * the condition is first seen). Chromium runs queued input before such a message, so a click or keystroke
 * made at that moment would be handled by then. The clock is the page's `performance.now()`, whose origin is
 * the navigation's start, so the figure holds the HTML request, every script and API call, and rendering, and
 * none of Playwright's round trips.
 *
 * The condition is checked on every DOM mutation (a MutationObserver: the exact moment a render lands) and on
 * every animation frame (what no mutation shows, such as a stylesheet arriving). A poll from the Node side
 * (`page.waitForFunction`) would instead see it one protocol round trip and up to a frame late.
 *
 * Plain JavaScript in a string: tsx compiles functions with a `__name` helper that does not exist in the page.
 */
const TTI_PROBE = `(() => {
  if (window.top !== window) return;
  const usable = (el) =>
    !el.disabled && !el.readOnly && el.getAttribute('aria-disabled') !== 'true' && !el.closest('[inert]') &&
    el.checkVisibility({ visibilityProperty: true }) &&
    (() => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; })();
  const interactive = () =>
    [...document.querySelectorAll('textarea')].some(usable) &&
    [...document.querySelectorAll('button')].some((b) => (b.textContent || '').includes('New chat') && usable(b));
  let seen = false;
  const check = () => {
    if (seen || !interactive()) return;
    seen = true;
    observer.disconnect();
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { window.__aerisTti = performance.now(); channel.port1.close(); };
    channel.port2.postMessage(0);
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  const frame = () => { check(); if (!seen) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})();`;

/** Opens `url` in a fresh context (no cache, no storage: a first visit) and returns its time to interactive. */
async function timeToInteractive(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript({ content: TTI_PROBE });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    // A function, not a string: the app's CSP forbids eval.
    const at = await page.waitForFunction(() => (globalThis as { __aerisTti?: number }).__aerisTti, undefined, {
      timeout: 30_000,
    });
    const ms = (await at.jsonValue()) as unknown;
    if (typeof ms !== 'number') throw new Error(`no time to interactive from ${url}`);
    return ms;
  } finally {
    await context.close();
  }
}

/**
 * The web UI's time to interactive on a first visit, against a trivial page's (bench/run-trivial-page-server.ts).
 * A: the built app from a real `aeris serve` process, opened with its token in the URL as serve prints it,
 * on a data dir past the first-run wizard with a tool-capable model installed in the emulated Ollama (its own
 * process), so the first screen is Chat. B: the trivial page, from serve mode's static-file code in its own
 * process over the same URL shape. One Chromium; interleaved rounds, each in a fresh browser context.
 */
export async function benchTimeToInteractive(rounds: number): Promise<{ lines: string[]; figure: BenchFigure }> {
  const tmp = makeTempDir('aeris-bench-tti-');
  const dataDir = path.join(tmp.dir, 'serve');
  fs.mkdirSync(dataDir);
  // What the wizard saves when it ends with an installed model (e2e/onboarding.spec.ts).
  fs.writeFileSync(
    path.join(dataDir, 'config.json'),
    JSON.stringify({ onboardingDone: true, defaultModel: 'qwen2.5:3b' }),
  );
  const emulator = await startEmulatorProcess([]);
  const serve = await startServe(dataDir, emulator.url);
  const trivial = await spawnUntil(
    process.execPath,
    ['--import', 'tsx', path.resolve(import.meta.dirname, 'run-trivial-page-server.ts'), path.join(tmp.dir, 'trivial')],
    /listening (\S+)/,
  );
  // As playwright.config.ts runs it.
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    const r = await interleaved(
      rounds,
      () => timeToInteractive(browser, `${serve.url}/#token=${serve.token}`),
      () => timeToInteractive(browser, `${trivial.url}/#token=${serve.token}`),
    );
    const app = median(r.a);
    const floor = median(r.b);
    const ratio = app / floor;
    const ok = ratio <= 3;
    return {
      lines: [
        verdict(
          'time to interactive (first visit)',
          ok,
          `app ${spread(r.a, 1)} ms vs trivial page ${spread(r.b, 1)} ms → ${fmt(ratio)}×; target ≤ 3× (${rounds} interleaved rounds, fresh context each; ${loadNote()})`,
        ),
      ],
      figure: {
        bench: 'ui',
        figure: 'time to interactive',
        ok,
        value: app,
        baseline: floor,
        ratio,
        target: '≤ 3× a trivial page',
        unit: 'ms',
      },
    };
  } finally {
    await browser.close();
    await trivial.stop();
    await serve.stop();
    await emulator.stop();
    tmp.cleanup();
  }
}
