import { build } from 'esbuild';
import path from 'node:path';
import { cliBundle } from '../../scripts/bundle-options.mjs';
import { writeCodeCacheLoader } from '../../scripts/code-cache-loader.mjs';

const REPO = path.resolve(import.meta.dirname ?? __dirname, '../..');

/**
 * Bundles the CLI exactly as `npm run build` does, so process-level tests run the real binary.
 * The bundle lives under the repo's .tmp/ so its externals (better-sqlite3) resolve from node_modules.
 */
export async function buildCli(): Promise<string> {
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
