import { describe, expect, it } from 'vitest';
import { makeSnippet, rankWindow } from './search-rank';

describe('search ranking over a window', () => {
  it('puts more, denser matches first and breaks ties by recency', () => {
    const docs = [
      { id: 1, content: 'dust dust dust' },
      { id: 2, content: 'a long message that mentions dust once among many other words' },
      { id: 3, content: 'dusty roads' },
      { id: 4, content: 'dusty roads' },
    ];
    expect(rankWindow(docs, 'dus', 10)).toEqual([1, 4, 3, 2]);
    expect(rankWindow(docs, 'dus', 2)).toEqual([1, 4]);
    expect(rankWindow([], 'dus', 2)).toEqual([]);
  });

  it('matches earlier words whole and the last as a prefix, ignoring case and accents', () => {
    const docs = [
      { id: 1, content: 'Harmattan season in Accra' },
      { id: 2, content: 'harmattanish accra' },
      { id: 3, content: 'Crème brûlée' },
    ];
    expect(rankWindow(docs, 'harmattan acc', 3).slice(0, 1)).toEqual([1]);
    expect(rankWindow(docs, 'creme brul', 1)).toEqual([3]);
  });
});

describe('snippets', () => {
  it('marks every match and cuts long text around the first one', () => {
    const text = Array.from({ length: 40 }, (_, i) => (i === 25 ? 'Harmattan' : `w${i}`)).join(' ');
    const s = makeSnippet(text, 'harm');
    expect(s).toContain('[[Harmattan]]');
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s.split(' ').length).toBeLessThanOrEqual(12);
  });

  it('keeps short text whole, punctuation included', () => {
    expect(makeSnippet('PM2.5 is high, harmattan dust!', 'harmattan du')).toBe(
      'PM2.5 is high, [[harmattan]] [[dust]]!',
    );
  });
});

describe('snippets of Markdown replies', () => {
  it('show the words a reader sees, without Markdown marks or link addresses', () => {
    const s = makeSnippet('In **Kampala** the [harmattan](https://www.who.int/dust) brings `PM10` dust.', 'harmattan');
    expect(s).toBe('In Kampala the [[harmattan]] brings PM10 dust.');
  });
});
