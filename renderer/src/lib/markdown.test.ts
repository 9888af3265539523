// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { highlightCode } from './highlight';
import { hasFencedLanguage, makeMarkdownRenderer } from './markdown';

const LABELS = { code: 'Code', copy: 'Copy' };
const plain = makeMarkdownRenderer(LABELS, null);
const lit = makeMarkdownRenderer(LABELS, highlightCode);

/** The rendered HTML as a DOM fragment, to ask what the browser would build from it. */
function dom(html: string): HTMLElement {
  const box = document.createElement('div');
  box.innerHTML = html;
  return box;
}

describe('markdown: raw HTML in model output is shown as text', () => {
  it.each([
    ['<img src=x onerror="alert(1)">', 'img'],
    ['<script>alert(2)</script>', 'script'],
    ['<iframe src="https://example.org"></iframe>', 'iframe'],
    ['<div onmouseover="alert(3)">hover</div>', 'div'],
  ])('block %s becomes its own text, with no <%s> element', (raw, tag) => {
    const box = dom(plain(raw));
    expect(box.querySelector(tag)).toBeNull();
    expect(box.textContent).toContain(raw);
  });

  it('escapes inline tags too, and keeps the Markdown around them', () => {
    const box = dom(plain('Use <b>bold</b> and **strong** <img src=x onerror=alert(1)> here'));
    expect(box.querySelector('b, img')).toBeNull();
    expect(box.querySelector('strong')?.textContent).toBe('strong');
    expect(box.textContent?.trim()).toBe('Use <b>bold</b> and strong <img src=x onerror=alert(1)> here');
  });

  it('shows a Markdown image as its alt text and loads nothing', () => {
    const box = dom(plain('![PM2.5 chart](https://example.org/chart.png)'));
    expect(box.querySelector('img')).toBeNull();
    expect(box.textContent?.trim()).toBe('PM2.5 chart');
  });
});

describe('markdown: links', () => {
  it('keeps http(s) and mailto links live, opening outside the app', () => {
    const box = dom(plain('[WHO](https://www.who.int "guidelines") and [mail](mailto:aq@example.org)'));
    const links = [...box.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://www.who.int', 'mailto:aq@example.org']);
    expect(links[0]!.getAttribute('title')).toBe('guidelines');
    for (const a of links) {
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    }
  });

  it.each(['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:x', '/settings'])(
    'renders a link to %s as plain text, not an <a>',
    (href) => {
      const box = dom(plain(`[click me](${href}) now`));
      expect(box.querySelector('a')).toBeNull();
      expect(box.textContent?.trim()).toBe('click me now');
    },
  );
});

describe('markdown: code blocks', () => {
  it('gives a fenced block a header with its language and a Copy button, and the code escaped', () => {
    const box = dom(plain('```python\nprint("<script>x</script>")\n```'));
    const block = box.querySelector('.code-block')!;
    expect(block.querySelector('.code-head .code-lang')?.textContent).toBe('python');
    const button = block.querySelector('button[data-copy]')!;
    expect(button.getAttribute('type')).toBe('button');
    expect(button.textContent).toBe('Copy');
    const code = block.querySelector('pre code')!;
    expect(code.className).toBe('hljs language-python');
    expect(code.textContent).toBe('print("<script>x</script>")');
    expect(code.querySelector('script')).toBeNull();
  });

  it('labels a block without a language "Code"', () => {
    const box = dom(plain('```\nsite,pm25\nKampala,38\n```'));
    expect(box.querySelector('.code-lang')?.textContent).toBe('Code');
    expect(box.querySelector('pre code')?.textContent).toBe('site,pm25\nKampala,38');
  });

  it('takes the label from the first word of the info string, and a hostile one cannot break out', () => {
    const box = dom(plain('```js title="x"\nlet a = 1;\n```\n\n```"><img/src=x/onerror=alert(1)>\nx\n```'));
    const labels = [...box.querySelectorAll('.code-lang')].map((l) => l.textContent);
    expect(labels[0]).toBe('js');
    expect(box.querySelector('img')).toBeNull();
    expect(box.querySelectorAll('button[data-copy]')).toHaveLength(2);
  });

  it('highlights a known language with spans only, escaping what the code holds', () => {
    const source = 'def f():\n    return "<script>alert(1)</script>"  # done';
    const box = dom(lit('```python\n' + source + '\n```'));
    const code = box.querySelector('pre code')!;
    expect(code.textContent).toBe(source);
    expect(code.querySelector('.hljs-keyword')?.textContent).toBe('def');
    expect(code.querySelector('.hljs-string')?.textContent).toBe('"<script>alert(1)</script>"');
    expect(code.querySelector('.hljs-comment')?.textContent).toBe('# done');
    expect(code.querySelector('script')).toBeNull();
    expect([...code.querySelectorAll('*')].every((el) => el.tagName === 'SPAN')).toBe(true);
  });

  it('leaves a language it does not know plain (escaped), and highlights the registered ones', () => {
    expect(highlightCode('a,b\n<1>,2', 'csv')).toBeNull();
    const box = dom(lit('```csv\na,b\n<1>,2\n```'));
    expect(box.querySelector('pre code')?.innerHTML).toBe('a,b\n&lt;1&gt;,2');
    for (const lang of ['python', 'javascript', 'typescript', 'json', 'bash', 'shell', 'sql', 'SQL']) {
      expect(highlightCode('SELECT 1', lang)).not.toBeNull();
    }
  });

  it('asks for the highlighter only when a fence names a language', () => {
    expect(hasFencedLanguage('```python\nx\n```')).toBe(true);
    expect(hasFencedLanguage('text\n  ~~~ sql\nx\n~~~')).toBe(true);
    expect(hasFencedLanguage('```\nx\n```')).toBe(false);
    expect(hasFencedLanguage('inline `code` only')).toBe(false);
  });
});
