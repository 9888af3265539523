// The /docs page of serve mode: Swagger UI's files copied from node_modules/swagger-ui-dist (never loaded from
// a CDN: the page works offline), the page itself, and its script bundled from renderer/src/docs.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SWAGGER_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css', 'LICENSE', 'NOTICE'];

export async function buildDocs(outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  const dist = path.dirname(fileURLToPath(import.meta.resolve('swagger-ui-dist/package.json')));
  for (const f of SWAGGER_FILES) fs.copyFileSync(path.join(dist, f), path.join(outDir, f));
  for (const f of ['index.html', 'docs.css']) fs.copyFileSync(path.join('renderer/docs', f), path.join(outDir, f));
  await build({
    entryPoints: ['renderer/src/docs/docs-page.ts'],
    outfile: path.join(outDir, 'docs-page.js'),
    bundle: true,
    format: 'iife',
    target: 'chrome120',
    minify: true,
    logLevel: 'warning',
  });
}
