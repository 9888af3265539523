import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..', '..');

/**
 * Writes an executable `ollama` into `dir` that answers `ollama serve` by running the loopback Ollama
 * emulator on OLLAMA_HOST's port — a real child process for the supervisor to start, kill and restart.
 * Env knobs: FAKE_OLLAMA_CRASH=1 exits at once; FAKE_OLLAMA_IGNORE_TERM=1 ignores SIGTERM.
 */
export function writeFakeOllama(dir: string): string {
  const emulator = pathToFileURL(path.join(repoRoot, 'e2e', 'emulators', 'ollama-emulator.ts')).href;
  const host = pathToFileURL(path.join(repoRoot, 'main', 'core', 'ollama-host.ts')).href;
  const tsx = pathToFileURL(path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const runner = path.join(dir, 'fake-ollama-serve.mts');
  fs.writeFileSync(
    runner,
    `import { startOllamaEmulator, EMULATOR_MODELS } from ${JSON.stringify(emulator)};
import { normalizeOllamaHost } from ${JSON.stringify(host)};
const cmd = process.argv[3];
if (cmd !== 'serve') { console.error('fake ollama: only "serve" is supported'); process.exit(2); }
if (process.env.FAKE_OLLAMA_CRASH) { console.error('fake ollama: crashing on purpose'); process.exit(3); }
const url = new URL(normalizeOllamaHost(process.env.OLLAMA_HOST));
const emu = await startOllamaEmulator({ port: Number(url.port), models: Object.values(EMULATOR_MODELS) });
console.error('Listening on ' + url.host + ' (version ' + emu.version + ')');
console.log('OLLAMA_MODELS=' + (process.env.OLLAMA_MODELS ?? ''));
process.on('SIGTERM', () => {
  if (process.env.FAKE_OLLAMA_IGNORE_TERM) { console.error('fake ollama: ignoring SIGTERM'); return; }
  void emu.close().then(() => process.exit(0));
});
`,
  );
  const bin = path.join(dir, 'ollama');
  // exec keeps one process: the pid we record is the server itself. "$0" puts the binary path in its argv.
  fs.writeFileSync(
    bin,
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} --import ${JSON.stringify(tsx)} ${JSON.stringify(runner)} "$0" "$@"\n`,
    { mode: 0o755 },
  );
  return bin;
}

export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
