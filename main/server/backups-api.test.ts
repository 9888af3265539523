import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { servePerTest } from '../../test/helpers/serve-fixture';

// Test-only: the shapes are what the assertions check, so the parsed body stays loosely typed.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (res: Response): Promise<any> => res.json();

describe('backups through the browser (serve mode download and upload)', () => {
  const fx = servePerTest();

  const backupsDir = () => fx.engine.backups.backupsDir;
  const upload = (body: RequestInit['body'], headers: Record<string, string> = {}) =>
    fx.fetch('/api/v1/backups/upload', { method: 'POST', headers, body });

  it('downloads a listed backup byte for byte, as an attachment under its own name', async () => {
    const info = await fx.engine.backups.create({ kind: 'manual' });
    const res = await fx.fetch(`/api/v1/backups/${encodeURIComponent(info.name)}/download`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toContain(`attachment; filename="${info.name}"`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    expect(bytes.equals(fs.readFileSync(info.path))).toBe(true);
  });

  it('refuses a path or a name the catalog does not list with 404 in words, and anyone without the token', async () => {
    const info = await fx.engine.backups.create({ kind: 'manual' });
    // A real file beside the data dir, reachable by `..` were names taken as paths.
    fs.writeFileSync(path.join(path.dirname(backupsDir()), 'secret.aerisbak'), 'not yours');
    for (const name of [
      '..%2Fsecret.aerisbak',
      '..%5Csecret.aerisbak',
      'nothing-here.aerisbak',
      encodeURIComponent(`../backups/${info.name}`),
    ]) {
      const res = await fx.fetch(`/api/v1/backups/${name}/download`);
      expect(res.status, name).toBe(404);
      expect((await json(res)).error, name).toMatch(/No backup named/);
    }
    const anon = await fetch(`${fx.url}/api/v1/backups/${encodeURIComponent(info.name)}/download`);
    expect(anon.status).toBe(401);
    const anonUp = await fetch(`${fx.url}/api/v1/backups/upload`, { method: 'POST', body: fs.readFileSync(info.path) });
    expect(anonUp.status).toBe(401);
  });

  it('imports an uploaded backup after verifying it: listed, verified, and no scratch left', async () => {
    const info = await fx.engine.backups.create({ kind: 'manual' });
    const bytes = fs.readFileSync(info.path);
    // Brought back from elsewhere: the original is gone from this data dir.
    await fx.engine.backups.delete(info.name);
    const res = await upload(bytes, { 'X-Filename': encodeURIComponent(`from home/${info.name}`) });
    expect(res.status).toBe(200);
    const got = await json(res);
    expect(got).toMatchObject({ sessions: info.sessions, sha256: info.sha256, name: info.name });
    const { backups } = await fx.engine.backups.list();
    expect(backups.map((b) => b.name)).toEqual([info.name]);
    expect((await fx.engine.backups.verify(info.name)).ok).toBe(true);
    expect(fs.readdirSync(backupsDir())).toEqual([info.name]);
  });

  it('refuses garbage and a crafted file in words and keeps nothing of them', async () => {
    const info = await fx.engine.backups.create({ kind: 'manual' });
    const crafted = fs.readFileSync(info.path);
    crafted[Math.floor(crafted.length / 2)]! ^= 0xff; // one flipped byte in the packed database
    for (const body of [Buffer.from('this is not a backup at all'), crafted]) {
      const res = await upload(body, { 'X-Filename': 'evil.aerisbak' });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      const err = await json(res);
      expect(typeof err.error).toBe('string');
      expect(err.error.length).toBeGreaterThan(10);
      expect(fs.readdirSync(backupsDir())).toEqual([info.name]);
    }
  });

  it('refuses an upload over the limit with 413 in words and leaves no file', async () => {
    // The same engine served again, with the limit serve mode reads from AERIS_BACKUP_UPLOAD_MAX_BYTES.
    await fx.serveAgain({ backupUploadMaxBytes: 1000 });
    const declared = await upload(Buffer.alloc(5000, 1), { 'X-Filename': 'big.aerisbak' });
    expect(declared.status).toBe(413);
    expect((await json(declared)).error).toMatch(/over the upload limit of 1000 bytes/);
    // Chunked, with no length announced: refused while it arrives.
    const chunks = Array.from({ length: 5 }, () => new Uint8Array(800));
    const chunked = await fx.postChunks('/api/v1/backups/upload', chunks, { 'X-Filename': 'big.aerisbak' });
    expect(chunked.status).toBe(413);
    expect(fs.readdirSync(backupsDir())).toEqual([]);
  });
});
