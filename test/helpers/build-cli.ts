import { build } from 'esbuild';
import path from 'node:path';
import { engineBundle } from '../../scripts/bundle-options.mjs';

const REPO = path.resolve(import.meta.dirname ?? __dirname, '../..');

/**
 * Bundles the CLI exactly as `npm run build` does, so process-level tests run the real binary.
 * The bundle lives under the repo's .tmp/ so its externals (better-sqlite3) resolve from node_modules.
 */
export async function buildCli(): Promise<string> {
  const outfile = path.join(REPO, '.tmp', `cli-${process.pid}-${Date.now()}`, 'cli.cjs');
  await build({
    entryPoints: [path.resolve(__dirname, '../../main/cli/index.ts')],
    outfile,
    ...engineBundle,
    logLevel: 'error',
  });
  return outfile;
}
