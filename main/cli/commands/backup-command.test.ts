import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { systemClock } from '../../core/clock';
import { dataPaths } from '../../core/paths';
import { fillStore, makeDataDir } from '../../ops/backup/test-support/backup-test-kit';
import { runCli } from '../run-cli';

describe('aeris backup', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  const cli = async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli([...args, '--data-dir', tmp.dir], {
      io: { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false },
      env: {},
      rendererDir: tmp.dir,
    });
    return { code, stdout, stderr };
  };
  const seed = (sessions: number) => {
    const { host } = makeDataDir(tmp.dir, systemClock);
    fillStore(host, sessions, 2);
    host.current().close();
  };

  it('create --json, list --json, verify, restore with and without --yes', async () => {
    seed(3);
    const created = await cli('backup', 'create', '--json');
    expect(created.code).toBe(0);
    const b = JSON.parse(created.stdout) as Record<string, unknown>;
    expect(Object.keys(b).sort()).toEqual(
      ['path', 'sizeBytes', 'sha256', 'sessions', 'messages', 'createdAt', 'kind', 'schemaVersion'].sort(),
    );
    expect(fs.existsSync(b.path as string)).toBe(true);
    expect(b).toMatchObject({ sessions: 3, messages: 6, kind: 'manual' });

    const list = await cli('backup', 'list', '--json');
    expect(JSON.parse(list.stdout)).toEqual([b]);
    expect((await cli('backup', 'list')).stdout).toContain(path.basename(b.path as string));

    const verify = await cli('backup', 'verify', b.path as string);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^OK/);

    const preview = await cli('backup', 'restore', path.basename(b.path as string));
    expect(preview.code).toBe(1);
    expect(preview.stdout).toContain('would replace');
    expect(preview.stderr).toContain('--yes');

    const restored = await cli('backup', 'restore', b.path as string, '--yes');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain('safety');
  });

  it('fails non-zero with the reason for a bad file, and 2 for bad usage', async () => {
    const junk = path.join(tmp.dir, 'junk.aerisbak');
    fs.writeFileSync(junk, 'nope');
    const verify = await cli('backup', 'verify', junk);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toMatch(/NOT OK \(foreign\)/);
    const restore = await cli('backup', 'restore', junk, '--yes');
    expect(restore.code).toBe(1);
    expect(restore.stderr).toMatch(/error \(foreign\)/);
    expect((await cli('backup', 'verify', path.join(tmp.dir, 'missing.aerisbak'))).code).toBe(1);
    expect((await cli('backup')).code).toBe(2);
    expect((await cli('backup', 'frobnicate')).code).toBe(2);
    expect((await cli('backup', 'verify')).code).toBe(2);
  });

  it('exports to a folder and imports back', async () => {
    const b = JSON.parse((await cli('backup', 'create', '--json', '--no-compress')).stdout) as { path: string };
    const usb = path.join(tmp.dir, 'usb');
    fs.mkdirSync(usb);
    expect((await cli('backup', 'export', b.path, usb)).code).toBe(0);
    const exported = path.join(usb, fs.readdirSync(usb)[0]!);
    fs.rmSync(b.path);
    const imported = await cli('backup', 'import', exported, '--json');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout).sha256).toBeDefined();
    expect(JSON.parse((await cli('backup', 'list', '--json')).stdout)).toHaveLength(1);
  });

  it('list, verify and restore work when the store will not open; create refuses a damaged store', async () => {
    seed(3);
    const b = JSON.parse((await cli('backup', 'create', '--json')).stdout) as { path: string };
    const dbFile = dataPaths(tmp.dir).dbFile;
    const bytes = fs.readFileSync(dbFile);
    bytes.write('this is not a database, just garbage over the header', 0, 'latin1');
    fs.writeFileSync(dbFile, bytes);

    const list = await cli('backup', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(path.basename(b.path));
    expect((await cli('backup', 'verify', b.path)).code).toBe(0);
    const create = await cli('backup', 'create');
    expect(create.code).toBe(1);
    expect(create.stderr).toMatch(/error \(source_corrupt\): The store is damaged/);
    const restored = await cli('backup', 'restore', path.basename(b.path), '--yes');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/damaged store was kept aside as .*aeris_agent\.db\.corrupt-/);
    const { host } = makeDataDir(tmp.dir, systemClock);
    try {
      expect(host.store.sessions.list().total).toBe(3);
    } finally {
      host.close();
    }
  });

  it('restore lists every setting that would change; the Ollama host changes only with --accept-settings', async () => {
    seed(1);
    const config = dataPaths(tmp.dir).configFile;
    fs.writeFileSync(config, JSON.stringify({ ollamaHost: 'http://10.0.0.5:11434', theme: 'dark' }));
    const b = JSON.parse((await cli('backup', 'create', '--json')).stdout) as { path: string };
    fs.writeFileSync(config, JSON.stringify({ ollamaHost: 'http://127.0.0.1:11434', theme: 'light' }));
    const preview = await cli('backup', 'restore', b.path);
    expect(preview.code).toBe(1);
    expect(preview.stdout).toContain(
      '! ollamaHost: "http://127.0.0.1:11434" → "http://10.0.0.5:11434"   (kept unless --accept-settings ollamaHost)',
    );
    expect(preview.stdout).toContain('  theme: "light" → "dark"');

    const plain = await cli('backup', 'restore', b.path, '--yes');
    expect(plain.stdout).toContain('Settings kept as they were (not accepted): ollamaHost');
    expect(JSON.parse(fs.readFileSync(config, 'utf8'))).toMatchObject({
      ollamaHost: 'http://127.0.0.1:11434',
      theme: 'dark',
    });
    const accepted = await cli('backup', 'restore', b.path, '--yes', '--accept-settings', 'ollamaHost');
    expect(accepted.stdout).toContain('Settings restored: ollamaHost');
    expect(JSON.parse(fs.readFileSync(config, 'utf8'))).toMatchObject({ ollamaHost: 'http://10.0.0.5:11434' });
  });
});
