import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeCodeCacheLoader } from '../scripts/code-cache-loader.mjs';
import { makeTempDir } from './helpers/temp-dir';

// A bundle that says where it runs, what it was given, and loads a module later (as the CLI loads exceljs at its first import).
const BUNDLE = `
const path = require('node:path');
module.exports = 1;
Promise.resolve(require('node:os')).then((os) => {
  process.stdout.write(JSON.stringify({
    file: path.basename(__filename), dir: __dirname, args: process.argv.slice(2),
    exportsOk: module.exports === 1, os: typeof os.cpus, version: VERSION,
  }));
});
const VERSION = 'v1';
`;

describe('code-cache loader (dist/cli.cjs)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let dist: string;
  let cacheDir: string;
  beforeEach(() => {
    tmp = makeTempDir('aeris-code-cache-');
    dist = path.join(tmp.dir, 'dist');
    cacheDir = path.join(tmp.dir, 'cache');
    fs.mkdirSync(dist);
  });
  afterEach(() => tmp.cleanup());

  const build = (source: string): void => {
    fs.writeFileSync(path.join(dist, 'cli-bundle.cjs'), source);
    writeCodeCacheLoader(path.join(dist, 'cli-bundle.cjs'), path.join(dist, 'cli.cjs'));
  };
  const run = (): Record<string, unknown> =>
    JSON.parse(
      execFileSync(process.execPath, [path.join(dist, 'cli.cjs'), 'serve', '--port', '0'], {
        env: { ...process.env, AERIS_CODE_CACHE_DIR: cacheDir },
        encoding: 'utf8',
      }),
    ) as Record<string, unknown>;
  const caches = (): string[] => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir) : []);
  const cacheFile = (): string => path.join(cacheDir, caches()[0]!);

  it('runs the bundle as node would, writes the cache once, then starts from it', () => {
    build(BUNDLE);
    const expected = {
      file: 'cli-bundle.cjs',
      dir: dist,
      args: ['serve', '--port', '0'],
      exportsOk: true,
      os: 'function',
      version: 'v1',
    };
    expect(run()).toEqual(expected);
    expect(caches()).toHaveLength(1);
    expect(caches()[0]).toMatch(new RegExp(`^cli-[0-9a-f]{16}-${process.version}-${process.arch}\\.v8cache$`));
    const written = fs.statSync(cacheFile());
    expect(run()).toEqual(expected);
    // Accepted: not rewritten (a rewrite renames a new file into place).
    expect(fs.statSync(cacheFile()).ino).toBe(written.ino);
  });

  it('never runs a damaged cache: flipped bytes are refused by the checksum and the cache is rewritten', () => {
    build(BUNDLE);
    run();
    const file = cacheFile();
    const good = fs.readFileSync(file);
    const bad = Buffer.from(good);
    for (let i = 0; i < 64; i++) bad[Math.floor(bad.length / 2) + i]! ^= 0xff;
    fs.writeFileSync(file, bad);
    expect(run().version).toBe('v1');
    expect(fs.readFileSync(file).equals(bad)).toBe(false);
    fs.writeFileSync(file, good.subarray(0, 10));
    expect(run().version).toBe('v1');
    expect(fs.readFileSync(file).length).toBeGreaterThan(10);
  });

  it("the checksum is zlib's CRC-32 of the payload, reached through node:zlib where node would warn of the binding", () => {
    build(BUNDLE);
    run();
    const written = fs.readFileSync(cacheFile());
    expect(written.readUInt32BE(0)).toBe(zlib.crc32(written.subarray(4)));
    // The other way to the same sum: the cache is accepted as it is (not rewritten), and nothing is printed.
    const before = fs.statSync(cacheFile()).ino;
    const out = spawnSync(process.execPath, [path.join(dist, 'cli.cjs')], {
      env: { ...process.env, AERIS_CODE_CACHE_DIR: cacheDir, NODE_PENDING_DEPRECATION: '1' },
      encoding: 'utf8',
    });
    expect(out.status).toBe(0);
    expect(out.stderr).toBe('');
    expect(fs.statSync(cacheFile()).ino).toBe(before);
  });

  it('a rebuilt bundle gets its own cache and the old one goes', () => {
    build(BUNDLE);
    run();
    const first = caches();
    build(BUNDLE.replace("'v1'", "'v2'"));
    expect(run().version).toBe('v2');
    expect(caches()).toHaveLength(1);
    expect(caches()).not.toEqual(first);
  });

  it('starts without a cache where the cache dir cannot be written', () => {
    build(BUNDLE);
    fs.writeFileSync(cacheDir, 'a file where the directory would be');
    expect(run().version).toBe('v1');
    expect(run().version).toBe('v1');
  });

  it('reads an ASCII bundle as one-byte text and any other as UTF-8, with and without its cache', () => {
    build(BUNDLE);
    expect(fs.readFileSync(path.join(dist, 'cli.cjs'), 'utf8')).toContain('"latin1"');
    build(BUNDLE.replace("'v1'", "'v1 \u00b5g/m\u00b3 \u2026'"));
    expect(fs.readFileSync(path.join(dist, 'cli.cjs'), 'utf8')).toContain('"utf8"');
    expect(run().version).toBe('v1 \u00b5g/m\u00b3 \u2026');
    expect(run().version).toBe('v1 \u00b5g/m\u00b3 \u2026');
  });
});
