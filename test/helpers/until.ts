/**
 * Waits for a condition that something outside the test's control (a poller, a child process, a timer in the
 * code under test) makes true, checking every few milliseconds. The deadline only turns a hang into a clear
 * failure; it is not a timing assumption, so keep it well above what a loaded machine needs.
 */
export async function until(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
