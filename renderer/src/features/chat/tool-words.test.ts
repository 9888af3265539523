import { describe, expect, it } from 'vitest';
import { measuredTime, toolWords } from './tool-words';

describe('toolWords', () => {
  it('says a tool call in plain words with its place and source', () => {
    expect(toolWords({ name: 'get_city_air_quality', label: 'Kampala', status: 'done', sources: ['airqo'] })).toBe(
      'Looked up the air in Kampala (AirQo)',
    );
    expect(toolWords({ name: 'get_city_air_quality', label: 'Nairobi', status: 'running', sources: [] })).toBe(
      'Looking up the air in Nairobi…',
    );
    expect(toolWords({ name: 'generate_chart', label: null, status: 'done', sources: [] })).toBe('Drew a chart');
    expect(toolWords({ name: 'query_imported_data', label: null, status: 'done', sources: [] })).toBe(
      'Read your imported data',
    );
  });

  it('keeps the name of a tool it has no words for', () => {
    expect(toolWords({ name: 'new_tool', label: 'x', status: 'error', sources: [] })).toBe('new_tool: x');
  });
});

describe('measuredTime', () => {
  it('gives the time for today and the date as well for another day; null for a bad date', () => {
    const now = new Date(2026, 10, 29, 15, 0);
    expect(measuredTime(new Date(2026, 10, 29, 14, 0).toISOString(), now)).toMatch(/(14|02)[:.]00/);
    expect(measuredTime(new Date(2026, 10, 27, 9, 5).toISOString(), now)).toMatch(/27.*0?9[:.]05/);
    expect(measuredTime('not a date', now)).toBeNull();
  });
});
