// esbuild options shared by build.mjs and the tests that bundle the engine (test/helpers/build-cli.ts),
// so a test runs what `npm run build` makes.
import path from 'node:path';

export const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Native and Electron modules load at run time from node_modules.
  external: ['better-sqlite3', 'electron'],
};

// CommonJS has no import.meta; engine code uses import.meta.url (to resolve modules, as it does under tsx
// and Vitest), so the engine's bundles define it as their own file's URL.
export const engineBundle = {
  ...nodeBundle,
  define: { 'import.meta.url': 'import_meta_url' },
  inject: [path.join(import.meta.dirname, 'import-meta-url.js')],
};
