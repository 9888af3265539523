import { describe, expect, it } from 'vitest';
import { markdownToPlain } from './markdown-plain';

describe('markdownToPlain', () => {
  it.each([
    ['In **Kampala** the PM2.5 is *moderate* today.', 'In Kampala the PM2.5 is moderate today.'],
    [
      'See [the WHO guideline](https://www.who.int/air "WHO") and <https://airqo.net>.',
      'See the WHO guideline and https://airqo.net.',
    ],
    ['![PM2.5 chart](https://x.org/c.png) shows __peaks__ and ~~lows~~', 'PM2.5 chart shows peaks and lows'],
    ['## Advice\n> Stay indoors\n- Close windows\n* Wear a mask', 'Advice\nStay indoors\nClose windows\nWear a mask'],
    ['Run `pm25_daily` on sensor_id 4', 'Run pm25_daily on sensor_id 4'],
    ['Use _italic_ words', 'Use italic words'],
    ['```python\nprint(pm25)\n```', '\nprint(pm25)\n'],
    ['| Group | Advice |\n|---|---|\n| Children | Stay in |', ' Group Advice \n\n Children Stay in '],
    ['2 * 3 * 4 = 24', '2 * 3 * 4 = 24'],
  ])('%j reads as %j', (md, plain) => {
    expect(markdownToPlain(md)).toBe(plain);
  });
});
