import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { engineFixture, type EngineFixture } from '../../test/helpers/engine-fixture';
import { startHttpServer, type RunningServer } from './http-server';

const TOKEN = 'test-token-0123456789abcdef';

// Test-only: the shapes are what the assertions check, so the parsed body stays loosely typed.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (res: Response): Promise<any> => res.json();

describe('backups through the browser (serve mode download and upload)', () => {
  let f: EngineFixture;
  let server: RunningServer;
  const auth = { Authorization: `Bearer ${TOKEN}` };

  beforeEach(async () => {
    f = await engineFixture();
    server = await startHttpServer(f.engine, { host: '127.0.0.1', port: 0, token: TOKEN, rendererDir: null });
  });
  afterEach(async () => {
    await server.close();
    await f.close();
  });

  const backupsDir = () => f.engine.backups.backupsDir;
  const upload = (body: RequestInit['body'], headers: Record<string, string> = auth) =>
    fetch(`${server.url}/api/v1/backups/upload`, { method: 'POST', headers, body });

  it('downloads a listed backup byte for byte, as an attachment under its own name', async () => {
    const info = await f.engine.backups.create({ kind: 'manual' });
    const res = await fetch(`${server.url}/api/v1/backups/${encodeURIComponent(info.name)}/download`, {
      headers: auth,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toContain(`attachment; filename="${info.name}"`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    expect(bytes.equals(fs.readFileSync(info.path))).toBe(true);
  });

  it('refuses a path or a name the catalog does not list with 404 in words, and anyone without the token', async () => {
    const info = await f.engine.backups.create({ kind: 'manual' });
    // A real file beside the data dir, reachable by `..` were names taken as paths.
    fs.writeFileSync(path.join(path.dirname(backupsDir()), 'secret.aerisbak'), 'not yours');
    for (const name of [
      '..%2Fsecret.aerisbak',
      '..%5Csecret.aerisbak',
      'nothing-here.aerisbak',
      encodeURIComponent(`../backups/${info.name}`),
    ]) {
      const res = await fetch(`${server.url}/api/v1/backups/${name}/download`, { headers: auth });
      expect(res.status, name).toBe(404);
      expect((await json(res)).error, name).toMatch(/No backup named/);
    }
    const anon = await fetch(`${server.url}/api/v1/backups/${encodeURIComponent(info.name)}/download`);
    expect(anon.status).toBe(401);
    const anonUp = await upload(fs.readFileSync(info.path), {});
    expect(anonUp.status).toBe(401);
  });

  it('imports an uploaded backup after verifying it: listed, verified, and no scratch left', async () => {
    const info = await f.engine.backups.create({ kind: 'manual' });
    const bytes = fs.readFileSync(info.path);
    // Brought back from elsewhere: the original is gone from this data dir.
    await f.engine.backups.delete(info.name);
    const res = await upload(bytes, { ...auth, 'X-Filename': encodeURIComponent(`from home/${info.name}`) });
    expect(res.status).toBe(200);
    const got = await json(res);
    expect(got).toMatchObject({ sessions: info.sessions, sha256: info.sha256, name: info.name });
    const { backups } = await f.engine.backups.list();
    expect(backups.map((b) => b.name)).toEqual([info.name]);
    expect((await f.engine.backups.verify(info.name)).ok).toBe(true);
    expect(fs.readdirSync(backupsDir())).toEqual([info.name]);
  });

  it('refuses garbage and a crafted file in words and keeps nothing of them', async () => {
    const info = await f.engine.backups.create({ kind: 'manual' });
    const crafted = fs.readFileSync(info.path);
    crafted[Math.floor(crafted.length / 2)]! ^= 0xff; // one flipped byte in the packed database
    for (const body of [Buffer.from('this is not a backup at all'), crafted]) {
      const res = await upload(body, { ...auth, 'X-Filename': 'evil.aerisbak' });
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
    await server.close();
    server = await startHttpServer(f.engine, {
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      rendererDir: null,
      limits: { backupUploadMaxBytes: 1000 },
    });
    const declared = await upload(Buffer.alloc(5000, 1), { ...auth, 'X-Filename': 'big.aerisbak' });
    expect(declared.status).toBe(413);
    expect((await json(declared)).error).toMatch(/over the upload limit of 1000 bytes/);
    // Chunked, with no length announced: refused while it arrives.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 5; i++) c.enqueue(new Uint8Array(800));
        c.close();
      },
    });
    const chunked = await fetch(`${server.url}/api/v1/backups/upload`, {
      method: 'POST',
      headers: { ...auth, 'X-Filename': 'big.aerisbak' },
      body: stream,
      duplex: 'half',
    });
    expect(chunked.status).toBe(413);
    expect(fs.readdirSync(backupsDir())).toEqual([]);
  });
});
