import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startOllamaEmulator, type OllamaEmulator } from '../e2e/emulators/ollama-emulator';
import { dataPaths } from '../main/core/paths';
import { buildCli } from './helpers/build-cli';
import { freeBytes, mountTmpfs } from './helpers/tmpfs';

/**
 * The field fault as it happens: the data dir on a small disk that fills up while `aeris serve` runs.
 * A 20 MB tmpfs stands in for the laptop's disk; mounting needs root, so elsewhere the suite says why it skips.
 */
const MB = 1024 * 1024;
const TOKEN = 'disk-full-test-token';

const disk = mountTmpfs('20m');

interface Served {
  proc: ChildProcess;
  url: string;
  exited: { code: number | null; signal: NodeJS.Signals | null } | null;
  output: () => string;
}

async function startServe(cli: string, dataDir: string, ollamaHost: string): Promise<Served> {
  const proc = spawn(
    process.execPath,
    [cli, 'serve', '--port', '0', '--data-dir', dataDir, '--ollama-host', ollamaHost],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        AERIS_API_TOKEN: TOKEN,
        OLLAMA_HOST: '',
        // No data source is reachable: the test is about the disk, not the network.
        AERIS_WAQI_URL: 'http://127.0.0.1:9',
        AERIS_AIRQO_URL: 'http://127.0.0.1:9',
        AERIS_OPENMETEO_URL: 'http://127.0.0.1:9',
        AERIS_OPENAQ_URL: 'http://127.0.0.1:9',
      },
    },
  );
  let out = '';
  const served: Served = { proc, url: '', exited: null, output: () => out };
  proc.stdout.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr.on('data', (b: Buffer) => (out += b.toString()));
  proc.on('exit', (code, signal) => (served.exited = { code, signal }));
  served.url = await new Promise<string>((resolve, reject) => {
    const onData = (): void => {
      const m = /serving on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    };
    proc.stdout.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
  });
  return served;
}

const auth = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** A streamed chat: either refused before it starts (status and body) or its events to the end. */
async function streamChat(
  url: string,
  sessionId: string,
  message: string,
): Promise<{ status: number; body?: Record<string, unknown>; events: SseEvent[] }> {
  const res = await fetch(`${url}/api/v1/agent/chat/stream`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ session_id: sessionId, message, model: 'qwen2.5:3b' }),
    // A stream that never ends (no `done`, no `error`) is the bug this guards against: fail, do not hang.
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, events: [] };
  }
  const text = await res.text();
  const events = text
    .split('\n\n')
    .filter((block) => block.startsWith('event: '))
    .map((block) => {
      const [head, data] = block.split('\n');
      return {
        event: head!.slice('event: '.length),
        data: JSON.parse(data!.slice('data: '.length)) as SseEvent['data'],
      };
    });
  return { status: res.status, events };
}

interface HealthBody {
  status: string;
  checks: Array<{ id: string; status: string; reason: string }>;
}

async function health(url: string): Promise<HealthBody> {
  // The checks (with the folder they name) are for the token holder; without it /health is the light status.
  return (await (await fetch(`${url}/health`, { headers: auth })).json()) as HealthBody;
}

/** Polls until `check` passes (it throws until then), failing with its last error after `timeoutMs`. */
async function eventually<T>(check: () => Promise<T>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}

describe.skipIf(!disk.ok)(
  `a full disk under a running aeris serve${disk.ok ? '' : ` (skipped: ${disk.reason})`}`,
  () => {
    const root = disk.ok ? disk.dir : '';
    const dataDir = path.join(root, 'aeris');
    const filler = path.join(root, 'filler.bin');
    let cli: string;
    let emulator: OllamaEmulator;
    let serve: Served | null = null;

    beforeAll(async () => {
      cli = await buildCli();
      emulator = await startOllamaEmulator();
      // Long replies, one token at a time: each is its own write, so the disk fills mid-reply.
      emulator.script({
        match: 'write a long report',
        reply: { tokens: Array.from({ length: 600 }, (_, i) => `word${i} `), tokenDelayMs: 2 },
      });
      emulator.script({ match: 'first question', reply: { content: 'Kampala air is moderate today, remembered.' } });
      emulator.script({ match: 'after the cleanup', reply: { content: 'Space is back and so am I.' } });
    });

    afterAll(async () => {
      if (serve && !serve.exited) {
        serve.proc.kill('SIGTERM');
        await new Promise((r) => serve!.proc.once('exit', r));
      }
      await emulator?.close();
      if (disk.ok) disk.cleanup();
      if (cli) fs.rmSync(path.dirname(cli), { recursive: true, force: true });
    });

    it('answers 507 or ends the reply with a "disk full" error, keeps running and says so, then recovers', async () => {
      serve = await startServe(cli, dataDir, emulator.url);
      let s = serve;

      // Earlier data, saved while there was room.
      const first = await fetch(`${s.url}/api/v1/agent/chat`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ session_id: 'before', message: 'first question', model: 'qwen2.5:3b' }),
      });
      expect(first.status).toBe(200);
      expect(((await first.json()) as { response: string }).response).toContain('remembered');

      // Fill the disk to ~150 KB free, as a laptop whose downloads ate the disk.
      fs.writeFileSync(filler, Buffer.alloc(freeBytes(root) - 150 * 1024));
      // The server's own files move a little meanwhile; what matters is that a long reply cannot fit.
      expect(freeBytes(root)).toBeLessThan(1 * MB);

      const failed = await streamChat(s.url, 'during', 'write a long report');
      const failedAt = Date.now();
      let shown = '';
      if (failed.status === 507) {
        // Refused before anything was saved.
        expect(failed.body).toMatchObject({ code: 'disk_full', detail: expect.stringMatching(/disk is full/i) });
      } else {
        // The original's stream protocol: an `error` event, then `done`, always last.
        expect(failed.status).toBe(200);
        expect(failed.events.map((e) => e.event).slice(-2)).toEqual(['error', 'done']);
        const error = failed.events[failed.events.length - 2]!.data as { details: Record<string, unknown> };
        expect(error.details).toMatchObject({ code: 'disk_full', error: expect.stringMatching(/disk is full/i) });
        expect(String(error.details.error)).toContain(dataDir);
        shown = failed.events
          .filter((e) => e.event === 'token')
          .map((e) => String(e.data.content))
          .join('');
      }

      // Still serving, and /health names the disk and what to free; watched past the 2 s at which the old
      // search-index timer crashed the process.
      const report = await eventually(async () => {
        const h = await health(s.url);
        expect(s.exited).toBeNull();
        const diskCheck = h.checks.find((c) => c.id === 'disk');
        expect(h.status).toBe('degraded');
        expect(diskCheck).toMatchObject({ status: 'fail' });
        expect(diskCheck!.reason).toMatch(/^Disk full: [\d.]+ MB free on .+; free at least [\d.]+ MB\./);
        expect(diskCheck!.reason).toContain(dataDir);
        if (Date.now() - failedAt < 3500) throw new Error('still watching');
        return h;
      });
      expect(report.status).toBe('degraded');
      expect(s.exited).toBeNull();

      // Killed (a power cut) and started again on the still-full disk: it opens and says why it cannot save.
      s.proc.kill('SIGKILL');
      await new Promise((r) => s.proc.once('exit', r));
      serve = s = await startServe(cli, dataDir, emulator.url);
      await eventually(async () => {
        const h = await health(s.url);
        expect(h.status).toBe('degraded');
        expect(h.checks.find((c) => c.id === 'disk')?.reason).toMatch(/^Disk full: /);
      });
      expect(s.exited).toBeNull();

      // Space comes back: the next chat works without a restart.
      fs.rmSync(filler);
      const after = await fetch(`${s.url}/api/v1/agent/chat`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ session_id: 'before', message: 'after the cleanup', model: 'qwen2.5:3b' }),
      });
      expect(after.status).toBe(200);
      expect(((await after.json()) as { response: string }).response).toContain('Space is back');
      await eventually(async () => {
        const h = await health(s.url);
        expect(h.checks.find((c) => c.id === 'disk')?.status).not.toBe('fail');
        expect(h.status).toBe('healthy');
      });

      // The reply cut short is final (not `streaming`) and holds exactly what was shown: `error` when its end
      // could be saved at once, else `interrupted` by the restart's recovery once there was room.
      if (failed.status === 200) {
        const reply = await eventually(async () => {
          // The app's own bridge: it carries each message's status and error (the original's shape has neither).
          const res = await fetch(`${s.url}/bridge/call/messages.list`, {
            method: 'POST',
            headers: auth,
            body: JSON.stringify({ sessionId: 'during' }),
          });
          const { messages } = (
            (await res.json()) as {
              result: { messages: Array<{ role: string; status: string; content: string; error: string | null }> };
            }
          ).result;
          const r = messages.find((m) => m.role === 'assistant')!;
          expect(r.status).not.toBe('streaming');
          return r;
        });
        expect(['error', 'interrupted']).toContain(reply.status);
        expect(reply.error).toMatch(reply.status === 'error' ? /disk is full/i : /stopped before this reply finished/);
        expect(reply.content).toBe(shown);
      }

      // The search index catches up by itself once there is room.
      const db = new Database(dataPaths(dataDir).dbFile, { readonly: true });
      try {
        await eventually(async () => {
          const { through, max } = db
            .prepare(
              'SELECT (SELECT indexed_through FROM fts_state WHERE id = 1) AS through, (SELECT MAX(id) FROM messages) AS max',
            )
            .get() as { through: number; max: number };
          expect(through).toBe(max);
        });
      } finally {
        db.close();
      }
      const search = await fetch(`${s.url}/bridge/call/search.messages`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ query: 'remembered' }),
      });
      expect(((await search.json()) as { result: { hits: unknown[] } }).result.hits.length).toBeGreaterThan(0);

      // Nothing saved before the fault was lost, and the file is sound.
      s.proc.kill('SIGTERM');
      await new Promise((r) => s.proc.once('exit', r));
      const check = new Database(dataPaths(dataDir).dbFile, { readonly: true });
      try {
        expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
        const before = check
          .prepare("SELECT role, content, status FROM messages WHERE session_id = 'before' ORDER BY id")
          .all() as Array<{ role: string; content: string; status: string }>;
        expect(before).toEqual([
          { role: 'user', content: 'first question', status: 'complete' },
          { role: 'assistant', content: 'Kampala air is moderate today, remembered.', status: 'complete' },
          { role: 'user', content: 'after the cleanup', status: 'complete' },
          { role: 'assistant', content: 'Space is back and so am I.', status: 'complete' },
        ]);
        const streaming = check.prepare("SELECT COUNT(*) AS n FROM messages WHERE status = 'streaming'").get() as {
          n: number;
        };
        expect(streaming.n).toBe(0);
      } finally {
        check.close();
      }
    }, 90_000);
  },
);
