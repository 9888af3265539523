import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { buildLegacyDb, LEGACY_S1 } from '../test/helpers/legacy-db';
import { expect, test } from './fixtures/serve-app';

const CLI = path.resolve(import.meta.dirname, '../dist/cli.cjs');
const PY_CLIENT = path.resolve(import.meta.dirname, '../main/server/seed/fixtures/seed_client.py');
const hasRequests = spawnSync('python3', ['-c', 'import requests'], { stdio: 'ignore' }).status === 0;

const run = (cmd: string, args: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile(cmd, args, { timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    ),
  );

test.describe("the original server's clients against `aeris serve`", () => {
  test('a Python client like the original test suites: forms, upload, SSE, sessions', async ({ app }) => {
    test.skip(!hasRequests, 'python3 requests is not installed');
    const seen = JSON.parse(await run('python3', [PY_CLIENT, app.url, app.token])) as Record<string, unknown>;
    expect(seen).toMatchObject({
      health: [200, 'ok'],
      new: 200,
      upload: [200, 'readings.csv'],
      pdf: [200, 'annual-report.pdf', true],
      empty: [422, 'missing'],
      stream_type: 'text/event-stream; charset=utf-8',
      messages: 8,
      listed: true,
      deleted: 'success',
    });
    expect((seen.stream as unknown[]).at(-1)).toEqual(['done', null]);
  });

  test('/openapi.json validates as OpenAPI 3.1', async ({ app }) => {
    const doc = (await (await fetch(`${app.url}/openapi.json`)).json()) as Parameters<Validator['validate']>[0];
    const r = await new Validator().validate(doc);
    expect(r.errors ?? []).toEqual([]);
  });

  test('an original database imported twice, then read through the original routes', async ({ app }) => {
    const legacy = path.join(app.dataDir, 'legacy-aeris_agent.db');
    buildLegacyDb(legacy);
    const args = [CLI, 'import-legacy', legacy, '--json', '--data-dir', app.dataDir];
    expect(JSON.parse(await run(process.execPath, args))).toEqual({ sessions: 2, messages: 6, skipped: 2 });
    expect(JSON.parse(await run(process.execPath, args))).toEqual({ sessions: 0, messages: 0, skipped: 10 });
    const auth = { Authorization: `Bearer ${app.token}` };
    const s = (await (await fetch(`${app.url}/api/v1/sessions/${LEGACY_S1}`, { headers: auth })).json()) as {
      created_at: string;
      messages: { role: string; content: string }[];
    };
    expect(s.created_at).toBe('2025-11-02T08:15:30.123Z');
    expect(s.messages.map((m) => m.content)).toEqual([
      'Air quality in Kampala?',
      'Kampala PM2.5 is 41 µg/m³ (unhealthy for sensitive groups).',
      'And tomorrow?',
      'Tomorrow looks similar.',
    ]);
  });
});
