import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { servePerTest, TEST_TOKEN } from '../../test/helpers/serve-fixture';
import { buildLegacyDb, LEGACY_S1, LEGACY_S2 } from '../../test/helpers/legacy-db';
import { dispatch } from '../api/dispatch';
import { createHandlers } from '../api/handlers';

describe("the original server's database, from the wizard", () => {
  const f = servePerTest();
  let legacy: string;
  beforeEach(() => {
    legacy = path.join(f.dataDir, '..', `${path.basename(f.dataDir)}-aeris_agent.db`);
    buildLegacyDb(legacy);
  });
  afterEach(() => {
    fs.rmSync(legacy, { force: true });
  });

  const upload = (body: Uint8Array, headers: Record<string, string> = {}) =>
    fetch(`${f.url}/api/v1/imports/legacy`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TEST_TOKEN}`, 'X-Filename': 'aeris_agent.db', ...headers },
      body,
    });
  const uploads = () => fs.readdirSync(path.join(f.dataDir, 'uploads'));

  it('imports.legacy (desktop): imports by path, then adds nothing the second time', async () => {
    const h = createHandlers(f.engine, 'electron');
    expect(await dispatch(h, 'imports.legacy', { path: legacy })).toEqual({
      sessions: 2,
      messages: 6,
      skipped: 2,
      reasons: { 'message role "tool"': 1, 'message of no session': 1 },
      // The same reasons as message ids, for the wizard in French or Swahili (issue 15).
      reasonTexts: {
        'message role "tool"': { id: 'legacy.messageRole', params: { role: 'tool' } },
        'message of no session': { id: 'legacy.messageNoSession', params: {} },
      },
    });
    expect(await dispatch(h, 'imports.legacy', { path: legacy })).toMatchObject({ sessions: 0, messages: 0 });
    expect(f.engine.conversations.get(LEGACY_S1).messageCount).toBe(4);
    expect(f.engine.conversations.get(LEGACY_S2).messageCount).toBe(2);
  });

  it('imports.legacy (serve): a browser may not name a server path', async () => {
    const h = createHandlers(f.engine, 'serve');
    await expect(dispatch(h, 'imports.legacy', { path: legacy })).rejects.toMatchObject({ code: 'forbidden' });
    expect(f.engine.conversations.list().total).toBe(0);
  });

  it('POST /api/v1/imports/legacy: the uploaded file is imported, then removed from uploads/', async () => {
    const bytes = fs.readFileSync(legacy);
    const res = await upload(bytes, { 'Content-Type': 'application/vnd.sqlite3' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ sessions: 2, messages: 6, skipped: 2 });
    expect(uploads()).toEqual([]);
    const again = await upload(bytes);
    expect(await again.json()).toMatchObject({ sessions: 0, messages: 0, skipped: 10 });
    expect(f.engine.conversations.messages(LEGACY_S1).messages.map((m) => m.content)).toEqual([
      'Air quality in Kampala?',
      'Kampala PM2.5 is 41 µg/m³ (unhealthy for sensitive groups).',
      'And tomorrow?',
      'Tomorrow looks similar.',
    ]);
  });

  it('refuses a file that is not the original database in words naming the upload, and keeps nothing', async () => {
    const notDb = await upload(new TextEncoder().encode('timestamp,pm2_5\n2026-01-01T00:00:00Z,31\n'.repeat(200)));
    expect(notDb.status).toBe(400);
    const body = (await notDb.json()) as { error: string; code: string };
    expect(body.code).toBe('bad_request');
    expect(body.error).toMatch(/^aeris_agent\.db is not an SQLite database/);

    const other = path.join(f.dataDir, '..', `${path.basename(f.dataDir)}-other.db`);
    fs.writeFileSync(other, '');
    const empty = await upload(fs.readFileSync(other));
    fs.rmSync(other, { force: true });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: string }).error).toMatch(/has no chat_sessions and chat_messages tables/);
    expect(uploads()).toEqual([]);
    expect(f.engine.conversations.list().total).toBe(0);
  });

  it('refuses multipart and unnamed uploads, and needs the token', async () => {
    const bytes = fs.readFileSync(legacy);
    expect((await upload(bytes, { 'Content-Type': 'multipart/form-data; boundary=x' })).status).toBe(400);
    const unnamed = await fetch(`${f.url}/api/v1/imports/legacy`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TEST_TOKEN}` },
      body: bytes,
    });
    expect(unnamed.status).toBe(400);
    const anonymous = await fetch(`${f.url}/api/v1/imports/legacy`, { method: 'POST', body: bytes });
    expect(anonymous.status).toBe(401);
    expect(f.engine.conversations.list().total).toBe(0);
  });
});
