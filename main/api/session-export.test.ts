import { describe, expect, it } from 'vitest';
import type { ToolActivity } from '../agent/tool-activity';
import type { MessageRecord, SessionRecord } from '../store/types';
import { exportSession } from './session-export';

const session: SessionRecord = {
  id: 's1',
  title: 'Kampala / school run?',
  model: 'qwen2.5:3b',
  style: 'general',
  createdAt: Date.UTC(2026, 10, 1),
  updatedAt: Date.UTC(2026, 10, 1),
  messageCount: 2,
};
const msg = (
  id: number,
  role: MessageRecord['role'],
  content: string,
  extra: Partial<MessageRecord> = {},
): MessageRecord => ({
  id,
  sessionId: 's1',
  role,
  content,
  status: 'complete',
  model: null,
  error: null,
  toolsUsed: [],
  tokens: 0,
  createdAt: Date.UTC(2026, 10, 1, 7, id),
  updatedAt: Date.UTC(2026, 10, 1, 7, id),
  ...extra,
});
const tool: ToolActivity = {
  seq: 1,
  name: 'get_city_air_quality',
  status: 'done',
  durationMs: 420,
  label: 'Kampala',
  sources: ['AirQo'],
  cached: true,
  stale: false,
  summary: null,
  aqi: {
    value: 108,
    category: 'Unhealthy for Sensitive Groups',
    color: '#FF7E00',
    pollutant: 'pm25',
    place: 'Kampala',
  },
  chart: null,
};

describe('session export', () => {
  const messages = [
    msg(1, 'user', 'How is the air in Kampala?'),
    { ...msg(2, 'assistant', 'AQI 108 at Makerere.', { status: 'stopped' }), tools: [tool] },
  ];

  it('writes Markdown with who said what, the reply status and the data each answer used', () => {
    const out = exportSession(session, messages, 'markdown');
    expect(out.filename).toBe('Kampala-school-run.md');
    expect(out.mimeType).toBe('text/markdown');
    expect(out.content).toContain('# Kampala / school run?');
    expect(out.content).toMatch(/## You — 2026-11-01T07:01:00.000Z\n\nHow is the air in Kampala\?/);
    expect(out.content).toContain('_(stopped)_');
    expect(out.content).toContain(
      '- get_city_air_quality (Kampala) — AirQo · cached · AQI 108 Unhealthy for Sensitive Groups',
    );
  });

  it('writes JSON that round-trips, tool activity included', () => {
    const out = exportSession(session, messages, 'json');
    const parsed = JSON.parse(out.content) as { session: SessionRecord; messages: Array<{ tools?: ToolActivity[] }> };
    expect(parsed.session.id).toBe('s1');
    expect(parsed.messages[1]!.tools![0]!.aqi!.value).toBe(108);
  });
});
