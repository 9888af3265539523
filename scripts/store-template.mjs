// Writes the store template: the empty store (every migration, WAL) that createStoreFile copies on a first start
// instead of building the schema there (main/store/create-store-file.ts). Built by the engine's own code, bundled
// for the moment beside the output so that better-sqlite3 resolves as it does for the CLI.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { engineBundle } from './bundle-options.mjs';

export async function writeStoreTemplate(out) {
  const maker = path.join(path.dirname(out), `.store-template-maker-${process.pid}.cjs`);
  const scratch = `${out}.new-${process.pid}`;
  try {
    await build({
      ...engineBundle,
      logLevel: 'warning',
      stdin: {
        contents:
          "import { buildEmptyStore } from './main/store/create-store-file';\nbuildEmptyStore(process.argv[2]);",
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      outfile: maker,
    });
    fs.rmSync(scratch, { force: true });
    execFileSync(process.execPath, [maker, scratch], { stdio: 'inherit' });
    fs.renameSync(scratch, out);
  } finally {
    fs.rmSync(maker, { force: true });
    fs.rmSync(scratch, { force: true });
  }
}
