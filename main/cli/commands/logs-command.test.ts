import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { until } from '../../../test/helpers/until';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import type { CliContext } from '../cli-types';
import { runCli } from '../run-cli';
import { parseTime, runLogs } from './logs-command';

const entry = (time: string, level: string, message: string) =>
  JSON.stringify({ time, level, component: 'chat', message, context: { n: 1 } }) + '\n';

describe('aeris logs', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let logs: string;
  beforeEach(() => {
    tmp = makeTempDir();
    logs = path.join(tmp.dir, 'logs');
    fs.mkdirSync(logs);
    fs.writeFileSync(
      path.join(logs, 'app.log.20260109'),
      entry('2026-01-09T10:00:00.000Z', 'error', 'yesterday failure'),
    );
    fs.writeFileSync(
      path.join(logs, 'app.log'),
      entry('2026-01-10T10:00:00.000Z', 'info', 'hello Kampala') + entry('2026-01-10T11:00:00.000Z', 'warn', 'slow'),
    );
    fs.writeFileSync(path.join(logs, 'access.log'), '2026-01-10T10:00:00.000Z 127.0.0.1 "GET /health" 200 1.0ms\n');
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

  it('prints, filters and searches across rotated files', async () => {
    const all = await cli('logs');
    expect(all.code).toBe(0);
    expect(all.stdout.trim().split('\n')).toEqual([
      '2026-01-09T10:00:00.000Z ERROR [chat] yesterday failure {"n":1}',
      '2026-01-10T10:00:00.000Z INFO  [chat] hello Kampala {"n":1}',
      '2026-01-10T11:00:00.000Z WARN  [chat] slow {"n":1}',
    ]);
    expect((await cli('logs', '--level', 'warn', '--since', '2026-01-10')).stdout).toContain('slow');
    expect((await cli('logs', '--level', 'warn', '--since', '2026-01-10')).stdout).not.toContain('yesterday');
    const json = await cli('logs', '--grep', 'kampala', '--json');
    expect(JSON.parse(json.stdout)).toEqual({
      time: '2026-01-10T10:00:00.000Z',
      level: 'info',
      component: 'chat',
      message: 'hello Kampala',
      context: { n: 1 },
    });
    expect((await cli('logs', '--file', 'access')).stdout).toContain('"GET /health" 200');
    expect((await cli('logs', '--level', 'loud')).code).toBe(2);
    expect((await cli('logs', '--file', 'nope')).code).toBe(2);
    expect((await cli('logs', '--since', 'yesterday-ish')).code).toBe(2);
  });

  it('parses ages and dates for --since', () => {
    const now = Date.UTC(2026, 0, 10, 12);
    expect(parseTime('2h', now)).toBe(now - 2 * 3600_000);
    expect(parseTime('7d', now)).toBe(now - 7 * 86_400_000);
    expect(parseTime('2026-01-10T08:00:00Z', now)).toBe(Date.UTC(2026, 0, 10, 8));
  });

  it('--follow prints new entries until stopped', async () => {
    let stdout = '';
    const ctx = {
      io: { stdout: (t: string) => (stdout += t), stderr: () => undefined, isTTY: false },
      globals: { dataDir: tmp.dir },
      env: {},
      rendererDir: tmp.dir,
      engine: () => {
        throw new Error('logs needs no engine');
      },
    } satisfies CliContext;
    const ac = new AbortController();
    const done = runLogs(['--follow', '--tail', '1', '--level', 'info'], ctx, ac.signal);
    // The tail is printed in the same turn as the follower takes its starting point: after it, appends are new.
    await until(() => stdout.includes('slow'), 'the tail');
    fs.appendFileSync(
      path.join(logs, 'app.log'),
      entry('2026-01-10T12:00:00.000Z', 'debug', 'hidden') + entry('2026-01-10T12:00:01.000Z', 'error', 'live!'),
    );
    await until(() => stdout.includes('live!'), 'the followed entry');
    ac.abort();
    expect(await done).toBe(0);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((l) => l.split(' [chat] ')[1]),
    ).toEqual(['slow {"n":1}', 'live! {"n":1}']);
  });
});
