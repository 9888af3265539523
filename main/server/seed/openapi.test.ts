import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeEach, describe, expect, it } from 'vitest';
import { servePerTest, TEST_TOKEN } from '../../../test/helpers/serve-fixture';
import { seedSchemas } from './seed-schemas';

const { ChatResponse, MessagesPage, NewSession, ResponseEvent, SessionDetail, SessionSummary } = seedSchemas();

const auth = { Authorization: `Bearer ${TEST_TOKEN}` };

describe('/openapi.json', () => {
  const f = servePerTest();
  beforeEach(() => {
    f.engine.settings.update({ defaultModel: 'qwen2.5:3b' });
  });

  it('is a valid OpenAPI 3.1 document covering every route of the original API', async () => {
    const res = await fetch(`${f.url}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/agent/chat',
      '/api/v1/agent/chat/stream',
      '/api/v1/air-quality/query',
      '/api/v1/health',
      '/api/v1/sessions',
      '/api/v1/sessions/new',
      '/api/v1/sessions/{session_id}',
      '/api/v1/sessions/{session_id}/messages',
      '/api/v1/visualization/capabilities',
    ]);
  });

  it('the documented response schemas are what the routes really send', async () => {
    f.emulator.script({ reply: { content: 'Clean air today.' } });
    const post = (p: string, body: URLSearchParams | string) =>
      fetch(f.url + p, { method: 'POST', headers: auth, body });
    const created = NewSession.strict().parse(await (await post('/api/v1/sessions/new', '')).json());
    const form = new URLSearchParams({ message: 'Air today?', session_id: created.session_id });
    ChatResponse.strict().parse(await (await post('/api/v1/agent/chat', form)).json());
    const stream = await (await post('/api/v1/agent/chat/stream', form)).text();
    const response = /event: response\ndata: (.*)\n/.exec(stream)![1]!;
    ResponseEvent.strict().parse(JSON.parse(response));
    const get = async (p: string): Promise<unknown> => (await fetch(f.url + p, { headers: auth })).json();
    SessionSummary.strict()
      .array()
      .parse(await get('/api/v1/sessions'));
    SessionDetail.strict().parse(await get(`/api/v1/sessions/${created.session_id}`));
    expect(MessagesPage.strict().parse(await get(`/api/v1/sessions/${created.session_id}/messages`)).count).toBe(4);
  });
});
