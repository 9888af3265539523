import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { servePerTest, TEST_TOKEN } from '../../../test/helpers/serve-fixture';

const SCRIPT = path.join(import.meta.dirname, 'fixtures', 'seed_client.py');
const hasRequests = spawnSync('python3', ['-c', 'import requests'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasRequests)("a Python client written like the original's test suites", () => {
  const f = servePerTest();
  beforeEach(() => {
    f.engine.settings.update({ defaultModel: 'qwen2.5:3b' });
  });

  it('works unchanged but for the address and the token', async () => {
    f.emulator.script({ reply: { content: 'Moderate today.' } });
    const out = await new Promise<string>((resolve, reject) => {
      execFile('python3', [SCRIPT, f.url, TEST_TOKEN], { timeout: 60_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    const seen = JSON.parse(out) as Record<string, unknown>;
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
    expect(seen.chat).toEqual([
      200,
      true,
      expect.arrayContaining([
        'cached',
        'document_filename',
        'document_processed',
        'message_count',
        'response',
        'session_id',
        'tokens_used',
        'tools_used',
      ]),
    ]);
    const stream = seen.stream as [string, string][];
    expect(stream[0]).toEqual(['thought', 'query_analysis']);
    expect(stream.slice(-3)).toEqual([
      ['thought', 'complete'],
      ['response', 'response'],
      ['done', null],
    ]);
  });
});
