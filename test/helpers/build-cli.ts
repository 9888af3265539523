import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { pidAlive } from '../../main/core/process-identity';
import { cliBundle } from '../../scripts/bundle-options.mjs';
import { writeCodeCacheLoader } from '../../scripts/code-cache-loader.mjs';

const REPO = path.resolve(import.meta.dirname ?? __dirname, '../..');

/**
 * Bundles the CLI exactly as `npm run build` does, so process-level tests run the real binary.
 * The bundle lives under the repo's .tmp/ so its externals (better-sqlite3) resolve from node_modules.
 */
export async function buildCli(): Promise<string> {
  removeBundlesOfEndedRuns();
  const dir = path.join(REPO, '.tmp', `cli-${process.pid}-${Date.now()}`);
  await build({
    entryPoints: [path.resolve(__dirname, '../../main/cli/index.ts')],
    outfile: path.join(dir, 'cli-bundle.cjs'),
    ...cliBundle,
    logLevel: 'error',
  });
  writeCodeCacheLoader(path.join(dir, 'cli-bundle.cjs'), path.join(dir, 'cli.cjs'));
  return path.join(dir, 'cli.cjs');
}

/** Bundles left by test processes that have ended (each run makes its own; ~1 MB each would pile up). */
function removeBundlesOfEndedRuns(): void {
  let names: string[];
  try {
    names = fs.readdirSync(path.join(REPO, '.tmp'));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^cli-(\d+)-\d+$/.exec(name)?.[1]);
    if (!pid || pid === process.pid || pidAlive(pid)) continue;
    fs.rmSync(path.join(REPO, '.tmp', name), { recursive: true, force: true });
  }
}
