import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineFixture, type EngineFixture } from '../../../test/helpers/engine-fixture';
import { buildLegacyDb, LEGACY_S1, LEGACY_S2 } from '../../../test/helpers/legacy-db';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { dispatch } from '../dispatch';
import { createHandlers, type Handlers } from '../handlers';

describe("imports.legacyFound / imports.legacyImportFound (the wizard's offer, serve mode)", () => {
  let f: EngineFixture;
  let h: Handlers;
  let places: ReturnType<typeof makeTempDir>;
  let cwd: string;
  beforeEach(async () => {
    places = makeTempDir();
    cwd = path.join(places.dir, 'AirQualityAgent');
    fs.mkdirSync(path.join(cwd, 'data'), { recursive: true });
    f = await engineFixture({ cwd, home: path.join(places.dir, 'home') });
    h = createHandlers(f.engine, 'serve');
  });
  afterEach(async () => {
    await f.close();
    places.cleanup();
  });

  it('finds the database where the server kept it and imports it with no path from the browser', async () => {
    // A file of other bytes under the name, where the server keeps it by default: passed over.
    fs.writeFileSync(path.join(cwd, 'data', 'aeris_agent.db'), 'these are notes, not a database');
    expect(await dispatch(h, 'imports.legacyFound', {})).toBeNull();
    await expect(dispatch(h, 'imports.legacyImportFound', {})).rejects.toMatchObject({ code: 'not_found' });

    const file = path.join(cwd, 'aeris_agent.db');
    buildLegacyDb(file);
    expect(await dispatch(h, 'imports.legacyFound', {})).toEqual({ path: file, sessions: 2, messages: 8 });
    expect(await dispatch(h, 'imports.legacyImportFound', {})).toEqual({
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
    const ids = f.engine.store.sessions.list(10, 0).sessions.map((s) => s.id);
    expect(ids.sort()).toEqual([LEGACY_S1, LEGACY_S2].sort());
    // A second time adds nothing.
    expect(await dispatch(h, 'imports.legacyImportFound', {})).toMatchObject({ sessions: 0, messages: 0 });
  });

  it('takes no input: a browser cannot name a server path through it', async () => {
    await expect(dispatch(h, 'imports.legacyImportFound', { path: '/etc/passwd' })).rejects.toMatchObject({
      code: 'bad_request',
    });
  });
});
