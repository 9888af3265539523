import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { servePerTest, TEST_TOKEN } from '../../../test/helpers/serve-fixture';
import { MAX_UPLOAD_BYTES } from './form-body';

const auth = { Authorization: `Bearer ${TEST_TOKEN}` };

// Test-only: the shapes are what the assertions check, so parsed bodies stay loosely typed.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const json = async (res: Response): Promise<Json> => res.json();

interface SseEvent {
  event: string;
  data: Json;
}
/** Parses `event:`/`data:` frames exactly as the original's frontend does. */
function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((f) => f.trim() !== '')
    .map((f) => {
      const lines = f.split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^event: \w+$/);
      expect(lines[1]).toMatch(/^data: /);
      return { event: lines[0]!.slice(7), data: JSON.parse(lines[1]!.slice(6)) };
    });
}

describe('the original server API (forms, SSE thoughts, sessions)', () => {
  const f = servePerTest();
  beforeEach(() => {
    f.engine.settings.update({ defaultModel: 'qwen2.5:3b' });
  });

  const post = (p: string, body: RequestInit['body'], headers: Record<string, string> = {}) =>
    fetch(f.url + p, { method: 'POST', headers: { ...auth, ...headers }, body });
  const get = (p: string) => fetch(f.url + p, { headers: auth });

  it('takes a urlencoded form (requests.post(data=...)) and answers in the original shape', async () => {
    f.emulator.script({ match: 'Kampala', reply: { content: 'Kampala PM2.5 is moderate.' } });
    const res = await post(
      '/api/v1/agent/chat',
      new URLSearchParams({ message: 'Air in Kampala?', session_id: 'form-1', role: 'technical' }),
    );
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({
      response: 'Kampala PM2.5 is moderate.',
      session_id: 'form-1',
      tools_used: [],
      cached: false,
      message_count: 2,
      document_processed: false,
      document_filename: null,
    });
    // Prompt + completion: the 4 generated chunks plus the (much longer) prompt Ollama evaluated.
    const reported = f.emulator.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as {
      messages: { content: string }[];
    };
    const prompt = reported.messages.reduce((n, m) => n + Math.ceil(m.content.length / 4), 0);
    expect(body.tokens_used).toBe(prompt + 4);
    expect(f.engine.store.sessions.get('form-1')?.style).toBe('technical');
  });

  it('takes multipart (curl -F) with a CSV upload, imports it, and leaves no file behind', async () => {
    f.emulator.script({ match: 'trend', reply: { content: 'The PM2.5 trend is flat.' } });
    const form = new FormData();
    form.append('message', 'What is the trend in this file?');
    form.append('latitude', '0.3476');
    form.append('longitude', '32.5825');
    const csv = 'datetime,site,pm2_5\n2026-01-01T00:00:00Z,Makerere,31.2\n2026-01-01T01:00:00Z,Makerere,28.4\n';
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'readings.csv');
    const res = await post('/api/v1/agent/chat', form);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ document_processed: true, document_filename: 'readings.csv' });
    // The model was shown the file's text and the coordinates.
    const asked = JSON.stringify(f.emulator.requests.filter((r) => r.path === '/api/chat').at(-1)?.body);
    expect(asked).toContain('Makerere,31.2');
    expect(asked).toContain('latitude 0.3476, longitude 32.5825');
    const uploads = path.join(f.dataDir, 'uploads');
    expect(fs.existsSync(uploads) ? fs.readdirSync(uploads) : []).toEqual([]);
  });

  it('takes a real PDF into the conversation’s documents and reports it processed', async () => {
    f.emulator.script({ match: 'guideline', reply: { content: 'Ten times the guideline [annual-report.pdf, p. 2].' } });
    const form = new FormData();
    form.append('message', 'How does Kampala compare with the WHO guideline?');
    form.append('session_id', 'doc-1');
    const pdf = fs.readFileSync(path.join(import.meta.dirname, '../../documents/fixtures/annual-report.pdf'));
    form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'annual-report.pdf');
    const res = await post('/api/v1/agent/chat', form);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({
      document_processed: true,
      document_filename: 'annual-report.pdf',
      session_id: 'doc-1',
    });
    expect(f.engine.documents.list('doc-1').map((d) => [d.name, d.pages])).toEqual([['annual-report.pdf', 3]]);
    const asked = JSON.stringify(f.emulator.requests.filter((r) => r.path === '/api/chat').at(-1)?.body);
    expect(asked).toContain('search_documents');
    expect(fs.readdirSync(path.join(f.dataDir, 'uploads'))).toEqual([]);
  });

  it('refuses a broken PDF (400) and an old .xls (415) in words, and an empty or missing message as FastAPI does (422)', async () => {
    const form = new FormData();
    form.append('message', 'Summarise this');
    form.append('file', new Blob(['%PDF-1.4\n'], { type: 'application/pdf' }), 'report.pdf');
    const pdf = await post('/api/v1/agent/chat', form);
    expect(pdf.status).toBe(400);
    expect((await json(pdf)).detail).toMatch(/report\.pdf cannot be read as a PDF/);
    expect(fs.readdirSync(path.join(f.dataDir, 'uploads'))).toEqual([]);
    expect(f.engine.store.sessions.list(10, 0).total).toBe(0); // no empty conversation left behind
    const xls = new FormData();
    xls.append('message', 'Summarise this');
    xls.append('file', new Blob([new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0])]), 'old.xls');
    const old = await post('/api/v1/agent/chat', xls);
    expect(old.status).toBe(415);
    expect((await json(old)).detail).toMatch(/Save it as \.xlsx in Excel or LibreOffice and attach again/);

    for (const body of [new URLSearchParams({ message: '' }), new URLSearchParams({ session_id: 'x' })]) {
      const res = await post('/api/v1/agent/chat', body);
      expect(res.status).toBe(422);
      const detail = (await json(res)).detail;
      expect(detail[0]).toMatchObject({ loc: ['body', 'message'], msg: 'Field required', type: 'missing' });
    }
    const ws = await post('/api/v1/agent/chat', new URLSearchParams({ message: '   ' }));
    expect(ws.status).toBe(400);
    expect(await json(ws)).toEqual({ detail: 'Invalid input: Message cannot be empty' });
    const lat = await post('/api/v1/agent/chat', new URLSearchParams({ message: 'hi', latitude: 'north' }));
    expect(lat.status).toBe(422);
    expect((await json(lat)).detail[0]).toMatchObject({ loc: ['body', 'latitude'], type: 'float_parsing' });
  });

  it('an upload over 25 MB is a 413, and nothing stays on disk', async () => {
    const form = new FormData();
    form.append('message', 'Read this');
    form.append('file', new Blob([Buffer.alloc(MAX_UPLOAD_BYTES + 1024, 0x61)], { type: 'text/csv' }), 'huge.csv');
    const res = await post('/api/v1/agent/chat', form);
    expect(res.status).toBe(413);
    expect((await json(res)).detail).toMatch(/upload limit/);
    expect(fs.readdirSync(path.join(f.dataDir, 'uploads'))).toEqual([]);
  });

  it('a client that hangs up mid-upload leaves no file behind', async () => {
    const http = await import('node:http');
    const uploads = path.join(f.dataDir, 'uploads');
    const listed = () => (fs.existsSync(uploads) ? fs.readdirSync(uploads) : []);
    const boundary = 'x-boundary-123';
    const req = http.request(`${f.url}/api/v1/agent/chat`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': '10000000' },
    });
    req.on('error', () => undefined); // the hang-up is the point
    req.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="message"\r\n\r\nhi\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n` +
        'a,b\n'.repeat(10_000),
    );
    await vi.waitFor(() => expect(listed()).toHaveLength(1), { timeout: 10_000 });
    req.destroy();
    await vi.waitFor(() => expect(listed()).toEqual([]), { timeout: 10_000 });
  });

  it('JSON bodies keep working', async () => {
    f.emulator.script({ reply: { content: 'hello back' } });
    const res = await post('/api/v1/agent/chat', JSON.stringify({ message: 'hello', session_id: 'json-1' }), {
      'Content-Type': 'application/json',
    });
    expect(await json(res)).toMatchObject({ response: 'hello back', session_id: 'json-1', message_count: 2 });
  });

  it('streams thoughts in order, one response, then done; text/event-stream; charset=utf-8', async () => {
    f.emulator.script({
      times: 1,
      reply: { toolCalls: [{ name: 'compute_aqi', arguments: { pollutant: 'pm25', value: 35 } }] },
    });
    f.emulator.script({ reply: { tokens: ['AQI ', 'is ', '99.'] } });
    const form = new FormData();
    form.append('message', 'What AQI is 35 µg/m³ of PM2.5?');
    form.append('session_id', 'stream-1');
    form.append('style', 'simple');
    const res = await post('/api/v1/agent/chat/stream', form);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = parseSse(await res.text());
    const thoughts = events.filter((e) => e.event === 'thought').map((e) => e.data);
    expect(thoughts.map((t) => t.type)).toEqual([
      'query_analysis',
      'tool_execution',
      'data_retrieval',
      'response_synthesis',
      'complete',
    ]);
    for (const t of thoughts) {
      expect(typeof t.title).toBe('string');
      expect(typeof t.details).toBe('object');
      expect(Date.parse(t.timestamp)).not.toBeNaN();
    }
    expect(thoughts[1].details).toMatchObject({ tool: 'compute_aqi', status: 'running' });
    expect(thoughts[2].details).toMatchObject({ tool: 'compute_aqi', status: 'success' });
    const responses = events.filter((e) => e.event === 'response');
    expect(responses).toHaveLength(1);
    expect(responses[0]!.data).toMatchObject({
      type: 'response',
      data: { response: 'AQI is 99.', session_id: 'stream-1', tools_used: ['compute_aqi'], cached: false },
    });
    expect(events.at(-1)).toEqual({ event: 'done', data: {} });
    const order = events.map((e) => e.event).filter((e) => e !== 'token' && e !== 'retract');
    expect(order.indexOf('response')).toBe(order.length - 2);
  });

  it('a whitespace-only message streams an error event, then done (200)', async () => {
    const res = await post('/api/v1/agent/chat/stream', new URLSearchParams({ message: '  \n ' }));
    expect(res.status).toBe(200);
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event)).toEqual(['error', 'done']);
    expect(events[0]!.data).toMatchObject({ type: 'error', details: { error: expect.stringMatching(/empty/) } });
  });

  it('an engine failure mid-stream is an error event, and done still comes last', async () => {
    await f.emulator.close();
    const res = await post('/api/v1/agent/chat/stream', new URLSearchParams({ message: 'anyone there?' }));
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event)).toEqual(['thought', 'error', 'done']);
    expect(events[1]!.data.details.error).toMatch(/Ollama/);
  });

  it('serves every session route in the original shapes', async () => {
    const created = await post('/api/v1/sessions/new', '');
    expect(created.status).toBe(200);
    const c = await json(created);
    expect(c).toMatchObject({ session_id: expect.stringMatching(/^[0-9a-f-]{36}$/), message: expect.any(String) });
    expect(Date.parse(c.created_at)).not.toBeNaN();

    f.emulator.script({ reply: { content: 'first answer' } });
    await post('/api/v1/agent/chat', new URLSearchParams({ message: 'first', session_id: c.session_id }));

    const list = await json(await get('/api/v1/sessions'));
    expect(Array.isArray(list)).toBe(true);
    expect(list[0]).toMatchObject({ id: c.session_id, message_count: 2 });
    expect(Object.keys(list[0])).toEqual(expect.arrayContaining(['id', 'created_at', 'updated_at', 'message_count']));

    const one = await json(await get(`/api/v1/sessions/${c.session_id}`));
    expect(one).toMatchObject({ id: c.session_id, message_count: 2 });
    expect(one.messages.map((m: Json) => [m.role, m.content])).toEqual([
      ['user', 'first'],
      ['assistant', 'first answer'],
    ]);
    expect(Date.parse(one.messages[0].timestamp)).not.toBeNaN();

    const page = await json(await get(`/api/v1/sessions/${c.session_id}/messages?limit=1&offset=1`));
    expect(page).toMatchObject({ session_id: c.session_id, count: 1, offset: 1 });
    expect(page.messages[0]).toMatchObject({ role: 'assistant', content: 'first answer' });

    expect(await json(await get('/api/v1/sessions/nope/messages'))).toEqual({
      session_id: 'nope',
      count: 0,
      offset: 0,
      messages: [],
    });
    const missing = await get('/api/v1/sessions/nope');
    expect(missing.status).toBe(404);
    expect(await json(missing)).toEqual({ detail: 'Session not found' });
    expect((await get('/api/v1/sessions?limit=abc')).status).toBe(422);
    const nowhere = await get('/api/v1/no-such-route');
    expect(nowhere.status).toBe(404);
    expect(await json(nowhere)).toEqual({ detail: 'Not Found' });

    const del = await fetch(`${f.url}/api/v1/sessions/${c.session_id}`, { method: 'DELETE', headers: auth });
    expect(await json(del)).toEqual({
      status: 'success',
      message: `Session ${c.session_id} and all its messages have been deleted`,
      session_id: c.session_id,
    });
    expect((await fetch(`${f.url}/api/v1/sessions/${c.session_id}`, { method: 'DELETE', headers: auth })).status).toBe(
      404,
    );
  });

  /** A reply the app itself is writing in `sessionId`, slowly; the next model call answers "seed reply". */
  async function uiReplyBeingWritten(sessionId: string, tokenDelayMs: number) {
    f.emulator.script({
      match: 'from the UI',
      reply: { tokens: ['ui ', 'reply ', 'is ', 'slow ', 'and ', 'long ', 'here'], tokenDelayMs },
    });
    f.emulator.script({ reply: { content: 'seed reply' } });
    return f.engine.chat.send({ sessionId, message: 'from the UI' });
  }

  it('waits for a reply the app itself is writing in the session, instead of 409', async () => {
    const ui = await uiReplyBeingWritten('shared', 40);
    expect(f.engine.chat.isStreaming('shared')).toBe(true);
    const res = await post(
      '/api/v1/agent/chat',
      new URLSearchParams({ message: 'from a script', session_id: 'shared' }),
    );
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ response: 'seed reply', message_count: 4 });
    expect((await ui.done).response).toBe('ui reply is slow and long here');
  });

  it('a stream that must wait for an earlier reply in its session says so at once: its first thought comes first', async () => {
    const ui = await uiReplyBeingWritten('waiting', 150);
    let uiDone = false;
    void ui.done.then(() => (uiDone = true));
    const res = await post(
      '/api/v1/agent/chat/stream',
      new URLSearchParams({ message: 'from a script', session_id: 'waiting' }),
    );
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('\n\n')) text += (await reader.read()).value ?? '';
    // Received while the UI's reply is still being written: the client is not left with nothing meanwhile.
    expect(uiDone).toBe(false);
    expect(parseSse(text.slice(0, text.indexOf('\n\n')))[0]).toMatchObject({
      event: 'thought',
      data: { type: 'query_analysis' },
    });
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += r.value;
    expect(parseSse(text).at(-1)).toEqual({ event: 'done', data: {} });
    expect((await ui.done).response).toBe('ui reply is slow and long here');
  });

  it('queues concurrent messages to one session and answers them in order, never 409', async () => {
    f.emulator.script({ reply: { tokens: ['slow ', 'reply'], tokenDelayMs: 20 } });
    const sends = [1, 2, 3, 4].map((i) =>
      post('/api/v1/agent/chat', new URLSearchParams({ message: `question ${i}`, session_id: 'busy' })),
    );
    const replies = await Promise.all(sends);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const bodies = await Promise.all(replies.map(json));
    expect(bodies.map((b) => b.message_count).sort((a, b) => a - b)).toEqual([2, 4, 6, 8]);
    const msgs = f.engine.store.messages.list('busy', 100, 0);
    expect(msgs.filter((m) => m.role === 'user')).toHaveLength(4);
    // Each question is followed by its own answer: nothing interleaved.
    expect(msgs.map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
  });
});
