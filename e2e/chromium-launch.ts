/**
 * How the UI tests and the UI bench launch Debian's Chromium (Playwright cannot download browsers here), so the
 * bench measures the browser the tests run.
 */
export const CHROMIUM_LAUNCH = {
  executablePath: process.env.AERIS_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
