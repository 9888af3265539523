// Prints one closing line for CI from the Vitest and Playwright JSON reports: "tests: N passed, N failed, N skipped".
// Exits non-zero when a report is missing or counted no test at all.
import fs from 'node:fs';

const read = (f) => (fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : null);
const vitest = read('.tmp/vitest-report.json');
const pw = read('.tmp/playwright-report.json');
if (!vitest || !pw) {
  console.error('test-summary: a report is missing (was CI=true set?)');
  process.exit(1);
}
const passed = vitest.numPassedTests + (pw.stats.expected ?? 0) + (pw.stats.flaky ?? 0);
const failed = vitest.numFailedTests + (pw.stats.unexpected ?? 0);
const skipped = vitest.numPendingTests + vitest.numTodoTests + (pw.stats.skipped ?? 0);
console.log(
  `unit+integration: ${vitest.numPassedTests} passed, ${vitest.numFailedTests} failed, ${vitest.numPendingTests} skipped`,
);
console.log(`e2e: ${pw.stats.expected} passed, ${pw.stats.unexpected} failed, ${pw.stats.skipped} skipped`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
