import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { ModelTransfer, findManifests } from './model-transfer';
import { listTree, writeSyntheticModel } from './test-support/synthetic-model';

let tmp: { dir: string; cleanup: () => void };
let laptopA: string;
let laptopB: string;
let usb: string;

beforeEach(() => {
  tmp = makeTempDir('aeris-transfer-');
  laptopA = path.join(tmp.dir, 'a', 'models');
  laptopB = path.join(tmp.dir, 'b', 'models');
  usb = path.join(tmp.dir, 'usb');
  fs.mkdirSync(laptopB, { recursive: true });
});
afterEach(() => tmp.cleanup());

const transfer = (dir: string, free?: number) =>
  new ModelTransfer({ modelsDir: () => dir, freeBytes: free === undefined ? undefined : async () => free });

describe('ModelTransfer', () => {
  it('exports an installed model and imports it on another laptop, byte for byte', async () => {
    const { manifestFile, blobs } = writeSyntheticModel(laptopA, { model: 'qwen2.5', tag: '3b' });
    const progress: number[] = [];
    const out = await transfer(laptopA).exportModel('qwen2.5:3b', usb, (p) => progress.push(p.bytesDone));
    expect(out.models).toEqual(['qwen2.5:3b']);
    expect(out.blobs).toBe(3);
    expect(progress.at(-1)).toBe(out.bytesCopied);
    expect(listTree(usb)).toEqual(listTree(laptopA));

    const inb = await transfer(laptopB).importDir(usb);
    expect(inb.models).toEqual(['qwen2.5:3b']);
    expect(listTree(laptopB)).toEqual(listTree(laptopA));
    for (const b of blobs) {
      expect(fs.readFileSync(path.join(laptopB, path.relative(laptopA, b)))).toEqual(fs.readFileSync(b));
    }
    expect(fs.readFileSync(path.join(laptopB, path.relative(laptopA, manifestFile)), 'utf8')).toBe(
      fs.readFileSync(manifestFile, 'utf8'),
    );
    // Importing the same folder again is a no-op.
    expect((await transfer(laptopB).importDir(usb)).bytesCopied).toBe(0);
  });

  it('a corrupt blob changes nothing in the models folder', async () => {
    writeSyntheticModel(laptopA, { model: 'gemma', tag: '2b' });
    await transfer(laptopA).exportModel('gemma:2b', usb);
    const before = listTree(laptopB);
    const blobDir = path.join(usb, 'blobs');
    const victim = fs
      .readdirSync(blobDir)
      .map((f) => path.join(blobDir, f))
      .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]!;
    const buf = fs.readFileSync(victim);
    buf[buf.length - 1] = buf[buf.length - 1]! ^ 0xff; // same size, wrong digest
    fs.writeFileSync(victim, buf);
    await expect(transfer(laptopB).importDir(usb)).rejects.toThrow(/corrupt or incomplete/);
    expect(listTree(laptopB)).toEqual(before);
    expect(findManifests(laptopB)).toEqual([]);
  });

  it('a partial folder (missing or truncated blob) changes nothing', async () => {
    writeSyntheticModel(laptopA, { model: 'gemma', tag: '2b' });
    await transfer(laptopA).exportModel('gemma:2b', usb);
    const blobDir = path.join(usb, 'blobs');
    const files = fs.readdirSync(blobDir).map((f) => path.join(blobDir, f));
    fs.truncateSync(files[0]!, 10);
    await expect(transfer(laptopB).importDir(usb)).rejects.toThrow(/incomplete/);
    fs.rmSync(files[0]!);
    await expect(transfer(laptopB).importDir(usb)).rejects.toThrow(/is missing/);
    expect(listTree(laptopB)).toEqual([]);
  });

  it('imports several models sharing a layer, and refuses to overwrite a different install without force', async () => {
    const shared = randomBytes(50_000);
    writeSyntheticModel(laptopA, { model: 'one', tag: 'latest' }, [1000], [shared]);
    writeSyntheticModel(laptopA, { model: 'two', tag: 'q4' }, [2000], [shared]);
    await transfer(laptopA).exportModel('one', usb);
    await transfer(laptopA).exportModel('two:q4', usb);
    const r = await transfer(laptopB).importDir(usb);
    expect(r.models.sort()).toEqual(['one:latest', 'two:q4']);
    expect(r.blobs).toBe(6 - 1); // two configs + two own layers + one shared
    expect(listTree(laptopB)).toEqual(listTree(laptopA));

    // Same name, other contents on the stick.
    const other = path.join(tmp.dir, 'other');
    writeSyntheticModel(other, { model: 'one', tag: 'latest' }, [3000]);
    await expect(transfer(laptopB).importDir(other)).rejects.toMatchObject({ code: 'conflict' });
    await transfer(laptopB).importDir(other, { overwrite: true });
    expect(fs.readFileSync(path.join(laptopB, 'manifests/registry.ollama.ai/library/one/latest'), 'utf8')).toBe(
      fs.readFileSync(path.join(other, 'manifests/registry.ollama.ai/library/one/latest'), 'utf8'),
    );
  });

  it('explains a model that is not there, an empty folder, a bad manifest and a full disk', async () => {
    await expect(transfer(laptopA).exportModel('ghost:1b', usb)).rejects.toMatchObject({ code: 'model_not_found' });
    await expect(transfer(laptopA).exportModel('../../etc', usb)).rejects.toMatchObject({ code: 'bad_request' });
    fs.mkdirSync(usb, { recursive: true });
    await expect(transfer(laptopB).importDir(usb)).rejects.toThrow(/No model found/);
    const bad = path.join(usb, 'manifests/registry.ollama.ai/library/bad/latest');
    fs.mkdirSync(path.dirname(bad), { recursive: true });
    fs.writeFileSync(bad, '{"schemaVersion":2,"config":{"digest":"md5:x"}}');
    await expect(transfer(laptopB).importDir(usb)).rejects.toThrow(/not a valid Ollama manifest/);
    fs.rmSync(usb, { recursive: true });

    writeSyntheticModel(laptopA, { model: 'big', tag: 'latest' }, [100_000]);
    await transfer(laptopA).exportModel('big', usb);
    await expect(transfer(laptopB, 1000).importDir(usb)).rejects.toThrow(
      /Not enough disk space to import: it needs 100 kB, only 1\.0 kB is free/,
    );
    expect(listTree(laptopB)).toEqual([]);
  });
});
