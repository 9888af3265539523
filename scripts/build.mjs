// Builds every part: the CLI/serve bundle and Electron main + preload with esbuild, the renderer with Vite.
// Usage: node scripts/build.mjs [--skip-renderer] [--sourcemap]
// Bundles are minified (less for node to parse at every start) and ship no source map unless asked for.
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import fs from 'node:fs';
import { cliBundle, engineBundle, nodeBundle } from './bundle-options.mjs';
import { buildDocs } from './build-docs.mjs';
import { precompressDir } from './precompress.mjs';
import { writeCodeCacheLoader } from './code-cache-loader.mjs';
import { writeStoreTemplate } from './store-template.mjs';

const skipRenderer = process.argv.includes('--skip-renderer');
const sourcemap = process.argv.includes('--sourcemap');
fs.rmSync('dist', { recursive: true, force: true });

const common = { ...nodeBundle, sourcemap, logLevel: 'warning' };
const engine = { ...engineBundle, sourcemap, logLevel: 'warning' };

await Promise.all([
  // dist/cli.cjs is a small loader that compiles this bundle with a V8 code cache (scripts/code-cache-loader.cjs).
  build({
    ...cliBundle,
    sourcemap,
    logLevel: 'warning',
    entryPoints: ['main/cli/index.ts'],
    outfile: 'dist/cli-bundle.cjs',
  }),
  build({ ...engine, entryPoints: ['main/electron/main.ts'], outfile: 'dist/electron/main.cjs', target: 'node22' }),
  // A sandboxed preload may only require electron: everything else is bundled into one file.
  build({ ...common, entryPoints: ['preload/index.ts'], outfile: 'dist/preload/index.cjs', target: 'chrome130' }),
]);
writeCodeCacheLoader('dist/cli-bundle.cjs', 'dist/cli.cjs');
fs.chmodSync('dist/cli.cjs', 0o755);
// The empty store, built once here rather than at every first start of `aeris serve` (create-store-file.ts).
await writeStoreTemplate('dist/store-template.db');

if (!skipRenderer) {
  await viteBuild({ configFile: 'renderer/vite.config.ts', logLevel: 'warn', build: { sourcemap } });
  await buildDocs('dist/renderer/docs');
  // Serve mode sends these by Accept-Encoding; Electron reads the plain files and ignores them.
  precompressDir('dist/renderer');
}
console.log('built dist/');
