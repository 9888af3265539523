import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_MODELS, startOllamaEmulator, type OllamaEmulator } from '../../../e2e/emulators/ollama-emulator';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { pullable } from '../../ollama/test-support/pullable';
import { listTree, writeSyntheticModel } from '../../ollama/test-support/synthetic-model';
import { runCli } from '../run-cli';

let tmp: { dir: string; cleanup: () => void };
let emu: OllamaEmulator;

beforeEach(async () => {
  tmp = makeTempDir('aeris-models-cli-');
  emu = await startOllamaEmulator({
    models: [EMULATOR_MODELS['qwen2.5:3b']!],
    registry: [pullable('tiny:1b', 2, 1000)],
    pullTickMs: 5,
    pullBytesPerTick: 250,
  });
});
afterEach(async () => {
  await emu.close();
  tmp.cleanup();
});

async function cli(args: string[], isTTY = false): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli([...args, '--data-dir', path.join(tmp.dir, 'data'), '--ollama-host', emu.url], {
    io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY },
    env: { OLLAMA_MODELS: path.join(tmp.dir, 'models'), PATH: process.env.PATH },
    rendererDir: '/nonexistent',
  });
  return { code, out, err };
}

describe('aeris models', () => {
  it('lists as a table and as JSON', async () => {
    const table = await cli(['models', 'list']);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^NAME\s+SIZE\s+FAMILY/m);
    expect(table.out).toMatch(/qwen2\.5:3b\s+1\.9 GB\s+qwen2\s+3\.1B\s+Q4_K_M\s+completion,tools/);
    const json = await cli(['models', 'list', '--json']);
    expect(JSON.parse(json.out).models[0]).toMatchObject({
      name: 'qwen2.5:3b',
      capabilities: ['completion', 'tools'],
      loaded: false,
    });
  });

  it('pulls with plain progress lines off a terminal, a bar on one', async () => {
    emu.pullTickMs = 40; // slow enough for a few throttled updates
    const r = await cli(['models', 'pull', 'tiny:1b']);
    expect(r.code).toBe(0);
    // how many throttled lines appear depends on timing; each has the layer, percent and bytes
    expect(r.out).toMatch(/^pulling [0-9a-f]{12} \d+% \(.*\/\d.* k?B\)$/m);
    expect(r.out).toMatch(/success: tiny:1b is installed/);
    expect(r.out).not.toContain('\r');
    emu.uninstall('tiny:1b');
    const tty = await cli(['models', 'pull', 'tiny:1b'], true);
    expect(tty.code).toBe(0);
    expect(tty.out).toContain('\r');
    expect(tty.out).toMatch(/█/);
  });

  it('fails with the server’s own reason and a non-zero exit', async () => {
    const pull = await cli(['models', 'pull', 'nosuch:1b']);
    expect(pull.code).toBe(1);
    expect(pull.err).toContain('error: pull model manifest: file does not exist');
    emu.failPull('tiny:1b', { afterLines: 2, error: 'max retries exceeded: unexpected EOF' });
    const mid = await cli(['models', 'pull', 'tiny:1b']);
    expect(mid.code).toBe(1);
    expect(mid.err).toMatch(/error: max retries exceeded: unexpected EOF\n\(the download can be resumed/);
    const list = await cli(['models', 'list']);
    expect(list.out).toMatch(/unfinished download: tiny:1b/);
    const rm = await cli(['models', 'rm', 'ghost:1b']);
    expect(rm.code).toBe(1);
    expect(rm.err).toContain("model 'ghost:1b' not found");
    const bad = await cli(['models', 'show', 'no good']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/not a valid model name/);
    expect((await cli(['models'])).code).toBe(2);
    expect((await cli(['models', 'pull'])).code).toBe(2);
  });

  it('shows and removes a model', async () => {
    const show = await cli(['models', 'show', 'qwen2.5:3b', '--json']);
    expect(JSON.parse(show.out)).toMatchObject({ family: 'qwen2', contextLength: 32768 });
    const rm = await cli(['models', 'rm', 'qwen2.5:3b']);
    expect(rm.code).toBe(0);
    expect(emu.isInstalled('qwen2.5:3b')).toBe(false);
  });

  it('exports and imports through a folder', async () => {
    const models = path.join(tmp.dir, 'models');
    writeSyntheticModel(models, { model: 'field', tag: 'v1' });
    const usb = path.join(tmp.dir, 'usb');
    const ex = await cli(['models', 'export', 'field:v1', usb]);
    expect(ex.code).toBe(0);
    expect(ex.out).toMatch(/exported field:v1 to .* \(3 blobs/);
    const other = path.join(tmp.dir, 'laptop-b');
    const im = await cli(['models', 'import', usb, '--models-dir', other]);
    expect(im.code).toBe(0);
    expect(im.out).toMatch(/imported field:v1/);
    expect(listTree(other)).toEqual(listTree(models));
    fs.appendFileSync(path.join(usb, 'blobs', fs.readdirSync(path.join(usb, 'blobs'))[0]!), 'x');
    const bad = await cli(['models', 'import', usb, '--models-dir', path.join(tmp.dir, 'laptop-c')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/incomplete/);
  });
});
