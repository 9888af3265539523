import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { FileLogger, isSecretKey, redact, redactText, withoutSecrets } from './logger';
import { ManualClock } from '../../test/doubles/manual-clock';

describe('redact', () => {
  it('masks secret-looking keys at any depth, but not token counts', () => {
    expect(
      redact({
        token: 'abc',
        apiKey: 'k',
        'x-api-key': 'k',
        WAQI_API_KEY: 'k',
        Authorization: 'Bearer zzz',
        headers: { cookie: 'c', accept: 'json' },
        nested: [{ password: 'p', clientSecret: 's', refresh_token: 'r' }],
        tokens: 42,
        maxTokens: 2000,
        tokenCount: 7,
        model: 'qwen2.5:3b',
      }),
    ).toEqual({
      token: '[redacted]',
      apiKey: '[redacted]',
      'x-api-key': '[redacted]',
      WAQI_API_KEY: '[redacted]',
      Authorization: '[redacted]',
      headers: { cookie: '[redacted]', accept: 'json' },
      nested: [{ password: '[redacted]', clientSecret: '[redacted]', refresh_token: '[redacted]' }],
      tokens: 42,
      maxTokens: 2000,
      tokenCount: 7,
      model: 'qwen2.5:3b',
    });
    expect(isSecretKey('session_id')).toBe(false);
  });

  it('masks secrets inside text and keeps the rest readable', () => {
    const cases: [string, string][] = [
      ['Authorization: Bearer abcdefgh12345678', 'Authorization: Bearer [redacted]'],
      ['GET /feed/london/?token=s3cr3tvalue&city=x', 'GET /feed/london/?token=[redacted]&city=x'],
      ['url https://api.waqi.info/x?api_key=abc123&y=1', 'url https://api.waqi.info/x?api_key=[redacted]&y=1'],
      ['WAQI_API_KEY=abcd1234 AIRQO_API_KEY=zz99zz99', 'WAQI_API_KEY=[redacted] AIRQO_API_KEY=[redacted]'],
      ['config {"api_key": "abcd1234", "model": "m"}', 'config {"api_key": "[redacted]", "model": "m"}'],
      ['password: hunter22 please', 'password: [redacted] please'],
      ['proxy http://user:pa55word@proxy.local:8080/', 'proxy http://user:[redacted]@proxy.local:8080/'],
      ['key sk-abcdefghijklmnopqrstuv used', 'key [redacted] used'],
      ['jwt eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.SflKxwRJSMeKKF2QT4f', 'jwt [redacted]'],
      ['used 1200 tokens: fine, max_tokens=2000', 'used 1200 tokens: fine, max_tokens=2000'],
      ['PM2.5 in Kampala is 35 µg/m³', 'PM2.5 in Kampala is 35 µg/m³'],
    ];
    for (const [input, expected] of cases) expect(redactText(input)).toBe(expected);
    expect(redact(new Error('failed with token=abcdefgh'))).toBe('Error: failed with token=[redacted]');
  });

  it('withoutSecrets drops secret keys entirely (settings copied into backups)', () => {
    expect(withoutSecrets({ ollamaHost: 'http://h', apiToken: 't', nested: { password: 'p', theme: 'dark' } })).toEqual(
      {
        ollamaHost: 'http://h',
        nested: { theme: 'dark' },
      },
    );
  });
});

describe('FileLogger', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('writes structured JSON lines to app.log, errors also to errors.json, secrets redacted', () => {
    const logger = new FileLogger(tmp.dir, new ManualClock(Date.UTC(2026, 0, 10, 12)), 'info');
    logger.child('chat').debug('hidden');
    logger.child('chat').info('reply done', { tokens: 12, apiKey: 'k' });
    logger.log('error', 'ollama', 'call failed: Bearer abcdefghijk', { url: 'http://x/?token=abc' });
    const app = fs
      .readFileSync(path.join(tmp.dir, 'app.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(app).toEqual([
      {
        time: '2026-01-10T12:00:00.000Z',
        level: 'info',
        component: 'chat',
        message: 'reply done',
        context: { tokens: 12, apiKey: '[redacted]' },
      },
      {
        time: '2026-01-10T12:00:00.000Z',
        level: 'error',
        component: 'ollama',
        message: 'call failed: Bearer [redacted]',
        context: { url: 'http://x/?token=[redacted]' },
      },
    ]);
    const errors = fs.readFileSync(path.join(tmp.dir, 'errors.json'), 'utf8').trim().split('\n');
    expect(errors.map((l) => JSON.parse(l).message)).toEqual(['call failed: Bearer [redacted]']);
  });
});
