import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { engineFixture, type EngineFixture } from '../../test/helpers/engine-fixture';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { startHttpServer, type RunningServer } from '../server/http-server';
import { createHandlers } from './handlers';

const TOKEN = 'test-token-0123456789abcdef';
const auth = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };

interface CallBody {
  ok: boolean;
  result?: Record<string, unknown>;
  error?: { code: string; message: string };
}

describe('file paths over the bridge in serve mode: backups/ and the export folder only', () => {
  let f: EngineFixture;
  let server: RunningServer;
  let outside: ReturnType<typeof makeTempDir>;
  let backupName: string;
  let outsideBackup: string;
  let missing: string;

  beforeEach(async () => {
    f = await engineFixture();
    server = await startHttpServer(f.engine, { host: '127.0.0.1', port: 0, token: TOKEN, rendererDir: null });
    outside = makeTempDir('aeris-outside-');
    const b = await f.engine.backups.create({ kind: 'manual' });
    backupName = path.basename(b.path);
    // A real, valid backup outside the data dir, and a path beside it that does not exist.
    outsideBackup = path.join(outside.dir, backupName);
    fs.copyFileSync(b.path, outsideBackup);
    missing = path.join(outside.dir, 'missing.aerisbak');
  });
  afterEach(async () => {
    await server.close();
    await f.close();
    outside.cleanup();
  });

  const call = async (name: string, input: unknown): Promise<{ status: number; body: CallBody }> => {
    const res = await fetch(`${server.url}/bridge/call/${name}`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify(input),
    });
    return { status: res.status, body: (await res.json()) as CallBody };
  };

  /** Refused with 403, and in the same words for a file that exists and one that does not. */
  const refusedAlike = async (name: string, input: (p: string) => unknown) => {
    const a = await call(name, input(outsideBackup));
    const b = await call(name, input(missing));
    expect(a.status).toBe(403);
    expect(b.status).toBe(403);
    expect(a.body.error!.message).toMatch(/^In the browser, .* works only with the /);
    expect(a.body.error!.message).toBe(b.body.error!.message);
    return a.body.error!.message;
  };

  it('verify, preview, import and restore refuse a path outside, whether or not it exists', async () => {
    await refusedAlike('backups.verify', (file) => ({ file }));
    await refusedAlike('backups.preview', (file) => ({ file }));
    await refusedAlike('backups.import', (file) => ({ file }));
    await refusedAlike('backups.restore', (file) => ({ file, confirm: true }));
    // Relative paths and climbing out of backups/ are outside too.
    expect((await call('backups.verify', { file: `../${backupName}` })).status).toBe(403);
    const climb = path.join(f.engine.paths.backupsDir, '..', '..', path.basename(outside.dir), backupName);
    expect((await call('backups.verify', { file: climb })).status).toBe(403);
  });

  it('the same calls work on a backup in backups/ (bare name or full path) and in the export folder', async () => {
    const byName = await call('backups.verify', { file: backupName });
    expect(byName.body.result).toMatchObject({ ok: true });
    const full = path.join(f.engine.paths.backupsDir, backupName);
    expect((await call('backups.preview', { file: full })).body.result).toMatchObject({ backup: { name: backupName } });
    const exportDir = path.join(f.dataDir, 'exports');
    fs.mkdirSync(path.join(exportDir, 'usb-copy'));
    // A bare folder name is one in the export folder.
    const exported = await call('backups.export', { file: backupName, folder: 'usb-copy' });
    expect(exported.status).toBe(200);
    const dest = exported.body.result!.path as string;
    expect(path.dirname(dest)).toBe(path.join(exportDir, 'usb-copy'));
    expect(fs.existsSync(dest)).toBe(true);
    expect((await call('backups.verify', { file: dest })).body.result).toMatchObject({ ok: true });
  });

  it('delete only inside backups/: anywhere else is refused, and nothing outside is removed', async () => {
    await refusedAlike('backups.delete', (file) => ({ file }));
    expect(fs.existsSync(outsideBackup)).toBe(true);
    const inExports = path.join(f.dataDir, 'exports', backupName);
    fs.mkdirSync(path.dirname(inExports), { recursive: true });
    fs.copyFileSync(outsideBackup, inExports);
    expect((await call('backups.delete', { file: inExports })).status).toBe(403);
    expect(fs.existsSync(inExports)).toBe(true);
    expect((await call('backups.delete', { file: backupName })).body.result).toEqual({ deleted: true });
    expect(fs.existsSync(path.join(f.engine.paths.backupsDir, backupName))).toBe(false);
  });

  it('export writes only into the export folder; a symlink out of backups/ is refused', async () => {
    const r = await call('backups.export', { file: backupName, folder: outside.dir });
    expect(r.status).toBe(403);
    expect(r.body.error!.message).toContain(path.join(f.dataDir, 'exports'));
    expect(fs.readdirSync(outside.dir).sort()).toEqual([backupName]);
    const link = path.join(f.engine.paths.backupsDir, 'link.aerisbak');
    fs.symlinkSync(outsideBackup, link);
    expect((await call('backups.verify', { file: 'link.aerisbak' })).status).toBe(403);
    fs.symlinkSync(outside.dir, path.join(f.dataDir, 'exports', 'out'));
    expect((await call('backups.export', { file: backupName, folder: 'out' })).status).toBe(403);
    expect(fs.readdirSync(outside.dir).sort()).toEqual([backupName]);
  });

  it('models.import and models.export take only the export folder', async () => {
    for (const name of ['models.import', 'models.export']) {
      const input = (dir: string) => (name === 'models.import' ? { dir } : { name: 'qwen2.5:3b', dir });
      const a = await call(name, input(outside.dir));
      const b = await call(name, input(path.join(outside.dir, 'nope')));
      expect(a.status).toBe(403);
      expect(a.body.error!.message).toBe(b.body.error!.message);
      expect(a.body.error!.message).toMatch(/works only with the export folder set in Settings/);
    }
    // Inside the export folder the call gets past the rule (whatever the transfer itself then says).
    const inside = await call('models.import', { dir: path.join(f.dataDir, 'exports') });
    expect(inside.status).not.toBe(403);
  });

  it('the export folder comes from Settings, which a browser cannot change', async () => {
    const r = await call('settings.update', { exportFolder: outside.dir });
    expect(r.status).toBe(403);
    expect(r.body.error!.message).toMatch(/chosen in the desktop app's Settings/);
    // Set on this computer (desktop Settings or config.json), the folder is where exports may go.
    f.engine.settings.update({ exportFolder: outside.dir });
    const exported = await call('backups.export', { file: backupName, folder: outside.dir });
    expect(exported.status).toBe(200);
    expect(path.dirname(exported.body.result!.path as string)).toBe(outside.dir);
    expect((await call('settings.update', { theme: 'dark' })).status).toBe(200);
  });

  it('the desktop app (its owner picks the paths) is not confined', async () => {
    const desktop = createHandlers(f.engine, 'electron');
    expect(await desktop['backups.verify']({ file: outsideBackup })).toMatchObject({ ok: true });
  });
});
