import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { engineFixture, type EngineFixture } from '../../test/helpers/engine-fixture';
import { DefraEmulator } from '../../e2e/emulators/defra-emulator';
import { createHandlers } from '../api/handlers';

const defra = new DefraEmulator();

beforeAll(async () => {
  await defra.start();
});
afterAll(async () => {
  await defra.close();
});

const chartCall = {
  name: 'generate_chart',
  arguments: {
    title: 'PM2.5 in London',
    series: [
      {
        name: 'Marylebone Road',
        points: [
          ['2026-01-10T08:00:00Z', 12],
          ['2026-01-10T09:00:00Z', 14],
        ],
      },
    ],
  },
};

describe('a chart names its data', () => {
  let f: EngineFixture;
  beforeEach(async () => {
    defra.faults.clear();
    f = await engineFixture({ env: { AERIS_DEFRA_URL: defra.baseUrl } });
  });
  afterEach(async () => {
    await f.close();
  });

  const ask = async (message: string) => {
    const h = await f.engine.chat.send({ message, model: 'qwen2.5:3b' });
    await h.done;
    const { messages } = await createHandlers(f.engine, 'serve')['messages.list']({ sessionId: h.sessionId });
    return messages.at(-1)!.tools.find((t) => t.name === 'generate_chart')!.chart!;
  };

  it('source, station, time and live or cached (with its age) from the data tool before it; unsourced without one', async () => {
    const script = () => {
      f.emulator.script({
        times: 1,
        reply: { toolCalls: [{ name: 'get_defra_site_data', arguments: { site_code: 'London' } }] },
      });
      f.emulator.script({ times: 1, reply: { toolCalls: [chartCall] } });
      f.emulator.script({ times: 1, reply: { content: 'Here it is.' } });
    };
    script();
    const live = await ask('Chart PM2.5 in London');
    expect(live.provenance).toMatchObject({
      source: 'UK-AIR (Defra)',
      place: 'London Marylebone Road',
      status: 'live',
      cacheNote: null,
    });
    expect(live.provenance!.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z$/);

    script();
    const cached = await ask('Chart PM2.5 in London again');
    expect(cached.provenance).toMatchObject({ source: 'UK-AIR (Defra)', status: 'cached' });
    expect(cached.provenance!.cacheNote).toMatch(/cached answer fetched/);

    f.emulator.script({ times: 1, reply: { toolCalls: [chartCall] } });
    f.emulator.script({ times: 1, reply: { content: 'Here it is.' } });
    const bare = await ask('Chart these numbers');
    expect(bare.provenance).toEqual({ source: null, place: null, time: null, status: 'unsourced', cacheNote: null });
  });
});
