import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { until } from '../../test/helpers/until';
import { followLogs, parseLogLine, readLogs, type LogRecord } from './log-reader';

const line = (time: string, level: string, message: string, component = 'chat') =>
  JSON.stringify({ time, level, component, message }) + '\n';

describe('log reader', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  const file = (name: string) => path.join(tmp.dir, name);
  beforeEach(() => {
    tmp = makeTempDir();
    // Three days of app.log: two rotated (one gzipped), one current.
    fs.writeFileSync(
      file('app.log.20260108.gz'),
      zlib.gzipSync(
        line('2026-01-08T10:00:00.000Z', 'info', 'day one') + line('2026-01-08T11:00:00.000Z', 'error', 'ollama down'),
      ),
    );
    fs.writeFileSync(file('app.log.20260109'), line('2026-01-09T10:00:00.000Z', 'warn', 'slow reply'));
    fs.writeFileSync(file('app.log.20260109.1'), line('2026-01-09T23:00:00.000Z', 'info', 'late Kampala question'));
    fs.writeFileSync(
      file('app.log'),
      line('2026-01-10T09:00:00.000Z', 'debug', 'noise') + line('2026-01-10T10:00:00.000Z', 'error', 'store busy'),
    );
  });
  afterEach(() => tmp.cleanup());

  const messages = (rs: LogRecord[]) => rs.map((r) => r.message);

  it('reads across rotated, gzipped and current files in order', async () => {
    expect(messages(await readLogs(tmp.dir))).toEqual([
      'day one',
      'ollama down',
      'slow reply',
      'late Kampala question',
      'noise',
      'store busy',
    ]);
  });

  it('filters by level, text, time range, and keeps the last N', async () => {
    expect(messages(await readLogs(tmp.dir, { level: 'warn' }))).toEqual(['ollama down', 'slow reply', 'store busy']);
    expect(messages(await readLogs(tmp.dir, { grep: 'KAMPALA' }))).toEqual(['late Kampala question']);
    expect(
      messages(
        await readLogs(tmp.dir, {
          since: Date.parse('2026-01-09T00:00:00Z'),
          until: Date.parse('2026-01-10T09:30:00Z'),
        }),
      ),
    ).toEqual(['slow reply', 'late Kampala question', 'noise']);
    expect(messages(await readLogs(tmp.dir, { tail: 2 }))).toEqual(['noise', 'store busy']);
    expect(messages(await readLogs(tmp.dir, { level: 'error', tail: 1 }))).toEqual(['store busy']);
  });

  it('skips rotated files last written before `since` without reading them', async () => {
    const old = new Date('2026-01-08T12:00:00Z');
    fs.utimesSync(file('app.log.20260108.gz'), old, old);
    fs.writeFileSync(file('app.log.20260108.gz'), 'not gzip at all'); // would throw if read
    fs.utimesSync(file('app.log.20260108.gz'), old, old);
    expect(messages(await readLogs(tmp.dir, { since: Date.parse('2026-01-09T00:00:00Z') }))).toContain('slow reply');
  });

  it('parses plain lines: access.log status as level, Ollama logfmt, continuation lines', () => {
    const a = parseLogLine('2026-01-10T10:00:00.000Z 127.0.0.1 "GET /health" 503 1.2ms', 'access', null);
    expect(a).toMatchObject({ time: '2026-01-10T10:00:00.000Z', level: 'error', component: 'http' });
    expect(parseLogLine('2026-01-10T10:00:00.000Z ::1 "GET /x" 404 1ms', 'access', null).level).toBe('warn');
    const o = parseLogLine('time=2026-01-10T10:00:01.000Z level=WARN source=server.go msg="low vram"', 'ollama', null);
    expect(o).toMatchObject({ time: '2026-01-10T10:00:01.000Z', level: 'warn', component: 'ollama' });
    expect(parseLogLine('    at stack frame', 'ollama', o)).toMatchObject({ time: o.time, level: 'warn' });
  });

  it('follows new lines, across a rotation', async () => {
    const got: string[] = [];
    let readTo = 0;
    const stop = followLogs(tmp.dir, { level: 'info' }, (r) => got.push(r.message), {
      pollMs: 10,
      onPolled: (offset) => (readTo = offset),
    });
    const wait = (n: number) => until(() => got.length >= n, `${n} records (got ${got.join(', ')})`);
    fs.appendFileSync(
      file('app.log'),
      line('2026-01-10T11:00:00.000Z', 'info', 'live one') + line('2026-01-10T11:00:01.000Z', 'debug', 'filtered'),
    );
    await wait(1);
    fs.appendFileSync(file('app.log'), '{"time":"2026-01-10T11:00:02.000Z","level":"info","comp');
    // The reader has read the half line: the rest must join it, not start a record of its own.
    const half = fs.statSync(file('app.log')).size;
    await until(() => readTo === half, 'the half line to be read');
    expect(got).toHaveLength(1);
    fs.appendFileSync(file('app.log'), 'onent":"x","message":"split line"}\n');
    await wait(2);
    fs.renameSync(file('app.log'), file('app.log.20260110'));
    fs.writeFileSync(file('app.log'), line('2026-01-11T00:00:01.000Z', 'error', 'after rotation'));
    await wait(3);
    stop();
    expect(got).toEqual(['live one', 'split line', 'after rotation']);
  });
});
