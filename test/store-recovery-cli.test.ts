import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dataPaths } from '../main/core/paths';
import { buildCli } from './helpers/build-cli';
import { makeTempDir } from './helpers/temp-dir';
import { buildStore, corruptPage, leafPagesOf, overwriteBytes } from './helpers/damage-store';
import { ManualClock } from './doubles/manual-clock';

/** Runs the built CLI to completion. */
function runCli(
  cli: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, OLLAMA_HOST: 'http://127.0.0.1:9', ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

const TOKEN = 'recovery-test-token-0123456789';

describe('the built CLI on a damaged store', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let cli: string;
  let serve: ChildProcess | null = null;

  /** A data dir holding 25 conversations of 30 messages, opened once by the CLI. */
  async function dataDirWithHistory(name: string): Promise<{ dir: string; db: string }> {
    const dir = path.join(tmp.dir, name);
    const { dbFile } = dataPaths(dir);
    buildStore(dbFile, new ManualClock(), 25, 30);
    // The first open by the CLI writes the marker that says a store existed here.
    const health = await runCli(cli, ['store', 'check', '--data-dir', dir]);
    expect(health.code).toBe(0);
    return { dir, db: dbFile };
  }

  beforeAll(async () => {
    tmp = makeTempDir();
    cli = await buildCli();
  });
  afterAll(() => {
    serve?.kill('SIGKILL');
    tmp.cleanup();
  });

  it('aeris health: garbage over the header exits 1 with the reason in words, not raw SQLite text', async () => {
    const { dir, db } = await dataDirWithHistory('header');
    expect((await runCli(cli, ['health', '--data-dir', dir])).code).not.toBe(1);
    overwriteBytes(db, 0, 100);
    const r = await runCli(cli, ['health', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/UNHEALTHY/);
    expect(r.out).toMatch(/Recovery mode: The start of the chat history file is damaged/);
    expect(r.out + r.err).not.toMatch(/file is not a database|vtable constructor failed/);
    // A chat would vanish into the stand-in store: refused, with the way out.
    const chat = await runCli(cli, ['chat', 'hello', '--data-dir', dir]);
    expect(chat.code).toBe(1);
    expect(chat.err).toMatch(/recovery mode.*aeris store salvage/);
    const json = JSON.parse((await runCli(cli, ['health', '--json', '--data-dir', dir])).out) as {
      status: string;
      recovery: { damage: string };
    };
    expect(json).toMatchObject({ status: 'unhealthy', recovery: { damage: 'bad_header' } });
  });

  it('aeris health: random bytes over page 2 is no longer HEALTHY', async () => {
    const { dir, db } = await dataDirWithHistory('page2');
    corruptPage(db, 2);
    const r = await runCli(cli, ['health', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/damaged/);
  });

  it('aeris store salvage --json: keeps the readable rows, reports per table, keeps the damaged file aside', async () => {
    const { dir, db } = await dataDirWithHistory('salvage');
    const leaves = leafPagesOf(db, 'messages');
    corruptPage(db, leaves[Math.floor(leaves.length / 2)]!);
    const r = await runCli(cli, ['store', 'salvage', '--json', '--data-dir', dir]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { tables: { table: string; kept: number; lost: number }[]; keptAside: string };
    const messages = report.tables.find((t) => t.table === 'messages')!;
    expect(messages.kept + messages.lost).toBe(750);
    expect(messages.kept).toBeGreaterThan(650);
    expect(fs.existsSync(report.keptAside)).toBe(true);
    expect((await runCli(cli, ['store', 'check', '--data-dir', dir])).code).toBe(0);
    expect((await runCli(cli, ['health', '--data-dir', dir])).code).not.toBe(1);
  });

  it('aeris serve stays up in recovery mode: /health 503 with the reason, the API 503 with a clear message', async () => {
    const { dir, db } = await dataDirWithHistory('serve');
    overwriteBytes(db, 0, 100);
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        OLLAMA_HOST: 'http://127.0.0.1:9',
        AERIS_API_TOKEN: TOKEN,
      },
    });
    serve = child;
    let out = '';
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /serving on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}${err}`)));
    });
    // Unauthenticated /health answers the light status; with the token, the reason.
    const light = await fetch(`${url}/health`);
    expect(light.status).toBe(503);
    expect(((await light.json()) as { status: string }).status).toBe('unhealthy');
    const health = await fetch(`${url}/health`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(health.status).toBe(503);
    const body = (await health.json()) as { status: string; recovery: { reason: string } };
    expect(body.status).toBe('unhealthy');
    expect(body.recovery.reason).toMatch(/damaged/);
    const api = await fetch(`${url}/api/v1/sessions`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(api.status).toBe(503);
    expect(((await api.json()) as { detail: string }).detail).toMatch(/recovery mode/);
    const status = await fetch(`${url}/bridge/call/recovery.status`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(status.status).toBe(200);
    expect(((await status.json()) as { result: { active: boolean } }).result.active).toBe(true);
    expect(child.exitCode).toBeNull();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    serve = null;
  });
});
