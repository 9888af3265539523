import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AerisApi } from '../../preload/contract';
import { dispatch } from '../../main/api/dispatch';
import { createHandlers } from '../../main/api/handlers';
import { startHttpServer, type RunningServer } from '../../main/server/http-server';
import { HttpBridge } from '../../renderer/src/bridge/http-bridge';
import { importLegacyHistory, legacyReportWords } from '../../renderer/src/features/onboarding/legacy-import';
import { setLanguage } from '../../renderer/src/i18n';
import { engineFixture, type EngineFixture } from '../helpers/engine-fixture';
import { buildLegacyDb, LEGACY_S1 } from '../helpers/legacy-db';

/** The wizard's legacy import, both ways it is hosted, against the real engine: nothing faked but Ollama. */
const TOKEN = 'legacy-wizard-token-0123456789abc';

describe("the first-run wizard's legacy import", () => {
  let f: EngineFixture;
  let server: RunningServer;
  let file: string;
  // The UI fetches its strings before it renders; the report is worded in English here.
  beforeAll(() => setLanguage('en'));
  beforeEach(async () => {
    f = await engineFixture();
    server = await startHttpServer(f.engine, { host: '127.0.0.1', port: 0, token: TOKEN, rendererDir: null });
    file = path.join(path.dirname(f.dataDir), `${path.basename(f.dataDir)}-aeris_agent.db`);
    buildLegacyDb(file);
  });
  afterEach(async () => {
    await server.close();
    await f.close();
    fs.rmSync(file, { force: true });
  });

  const picked = () => new File([fs.readFileSync(file)], 'aeris_agent.db');

  it('in a browser: uploads the picked file through the HTTP bridge and shows the report', async () => {
    const bridge = new HttpBridge(TOKEN, server.url);
    const report = await importLegacyHistory(picked(), bridge, bridge);
    bridge.close();
    expect(report).toMatchObject({ sessions: 2, messages: 6, skipped: 2 });
    expect(legacyReportWords(report)).toEqual({
      title: 'Imported 2 conversations and 6 messages',
      detail: '2 rows skipped: 1 × message role "tool", 1 × message of no session.',
    });
    expect(f.engine.conversations.get(LEGACY_S1).messageCount).toBe(4);
    expect(fs.readdirSync(path.join(f.dataDir, 'uploads'))).toEqual([]);
  });

  it('in the desktop app: hands the engine the path the preload gives for the picked file', async () => {
    const handlers = createHandlers(f.engine, 'electron');
    const named: unknown[] = [];
    const api: AerisApi = {
      call: (name, input) => dispatch(handlers, name, input) as never,
      on: () => () => undefined,
      pathForFile: (picked) => {
        named.push(picked);
        return file;
      },
    };
    const first = await importLegacyHistory(picked(), api, null);
    expect(first).toMatchObject({ sessions: 2, messages: 6 });
    const again = await importLegacyHistory(picked(), api, null);
    expect(legacyReportWords(again)).toEqual({
      title: 'Nothing new to bring in',
      detail:
        '10 rows skipped: 2 × session already imported, 6 × message already imported, 1 × message role "tool", 1 × message of no session.',
    });
    expect(named).toHaveLength(2);
    expect(fs.existsSync(path.join(f.dataDir, 'uploads'))).toBe(false);
  });

  it('says so in words when the file is not the server’s database', async () => {
    const bridge = new HttpBridge(TOKEN, server.url);
    const err = await importLegacyHistory(new File(['not a database'], 'notes.db'), bridge, bridge).catch(
      (e: unknown) => e,
    );
    bridge.close();
    expect(err).toMatchObject({ code: 'bad_request' });
    expect((err as Error).message).toMatch(/^notes\.db is not an SQLite database/);
  });
});
