import { Parser } from 'htmlparser2';

/** Elements whose content is never page text (code, styling, embedded documents). */
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'head']);
/** Elements that end a line of text. */
const BLOCK = new Set([
  'p',
  'div',
  'br',
  'li',
  'tr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'section',
  'article',
  'header',
  'footer',
  'nav',
  'aside',
  'main',
  'table',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'blockquote',
  'pre',
  'hr',
  'figure',
  'figcaption',
  'title',
]);

/**
 * A page's readable text: htmlparser2 (a forgiving, well-kept HTML tokenizer) decodes entities and copes with
 * broken markup; scripts, styles and other non-text content are dropped, block elements become line breaks.
 * The title is kept (it is in `head`, which is otherwise skipped).
 */
export function htmlToText(html: string): { title: string; text: string } {
  let skipDepth = 0;
  let inTitle = false;
  let title = '';
  const parts: string[] = [];
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'title') inTitle = true;
        else if (SKIP.has(name)) skipDepth++;
        if (BLOCK.has(name)) parts.push('\n');
      },
      ontext(data) {
        if (inTitle) title += data;
        else if (skipDepth === 0) parts.push(data);
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        else if (SKIP.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        if (BLOCK.has(name)) parts.push('\n');
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  const text = parts
    .join('')
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
  return { title: title.replace(/\s+/g, ' ').trim(), text };
}
