import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { engineBundle } from '../../../scripts/bundle-options.mjs';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { systemClock } from '../../core/clock';
import { fillStore, makeDataDir } from './test-support/backup-test-kit';

const REPO = path.resolve(import.meta.dirname, '../../..');

// The worker loads the driver through import.meta.url, which a CommonJS bundle only has because the build
// injects it: this runs the copy from a bundle made with the build's own options.
describe('the backup worker inside a CommonJS bundle (as the CLI, serve and Electron run it)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let outDir: string;
  beforeEach(() => {
    tmp = makeTempDir();
    outDir = path.join(REPO, '.tmp', `bundle-${process.pid}-${Date.now()}`);
  });
  afterEach(() => {
    tmp.cleanup();
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('finds the driver and copies on the worker', async () => {
    const { paths, host } = makeDataDir(tmp.dir, systemClock);
    fillStore(host, 2, 3);
    host.current().close();
    const outfile = path.join(outDir, 'copy.cjs');
    await build({
      ...engineBundle,
      stdin: {
        contents: `
          import { copySnapshotInWorker } from ${JSON.stringify(path.join(import.meta.dirname, 'snapshot-copy.ts'))};
          copySnapshotInWorker({ src: process.argv[2], dest: process.argv[3] }).then(
            (r) => console.log(JSON.stringify({ ok: true, messages: r.facts.messages, bytes: r.bytes })),
            (e) => console.log(JSON.stringify({ ok: false, error: e.constructor.name + ': ' + e.message })),
          );`,
        resolveDir: REPO,
        loader: 'ts',
      },
      outfile,
      logLevel: 'error',
    });
    const out = execFileSync(process.execPath, [outfile, paths.dbFile, path.join(tmp.dir, 'copy.db')], {
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toMatchObject({
      ok: true,
      messages: 6,
      bytes: fs.statSync(path.join(tmp.dir, 'copy.db')).size,
    });
  });
});
