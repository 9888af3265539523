import DOMPurify from 'dompurify';
import { Marked, type RendererObject, type Tokens } from 'marked';

/** The words a rendered reply shows around its code blocks, in the UI's language. */
interface MarkdownLabels {
  /** A code block's label when its fence names no language. */
  code: string;
  /** The code block's copy button. */
  copy: string;
}

/** Highlighted HTML (escaped text and `<span class>` only) for `code` in `lang`, or null for a language it does not know. */
type Highlighter = (code: string, lang: string) => string | null;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Only these destinations become live links; anything else (`javascript:`, `data:`, relative paths) is text. */
const SAFE_HREF = /^(https?:|mailto:)/i;

/** A fence's language as a class name can carry it: letters, digits, `+`, `-`, `#`, `.`, `_`. */
const langOf = (info: string | undefined): string =>
  (info ?? '')
    .trim()
    .split(/\s+/)[0]!
    .replace(/[^\w+#.-]/g, '');

/** A fenced block that names a language: only then is the highlighter worth loading. */
export const hasFencedLanguage = (text: string): boolean => /^ {0,3}(`{3,}|~{3,})[ \t]*[\w+#.-]+/m.test(text);

// Second belt behind the renderer below: a link that still carries an unsafe href (a marked change the renderer
// missed) loses it, and every link opens outside the app. Its input never holds raw HTML (the renderer escapes
// it), so it never builds an <img onerror> or <script> of its own and logs no CSP errors while a reply streams.
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    const href = node.getAttribute('href') ?? '';
    if (!SAFE_HREF.test(href)) node.removeAttribute('href');
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

function rendererFor(labels: MarkdownLabels, highlight: Highlighter | null): RendererObject {
  return {
    // Model output is untrusted: raw HTML (block or inline) is shown as the text it is, never parsed.
    html({ text, block }: Tokens.HTML | Tokens.Tag) {
      const shown = escapeHtml(block ? text.trim() : text);
      return block ? `<p>${shown.replace(/\n/g, '<br>')}</p>\n` : shown;
    },
    link({ href, title, tokens }: Tokens.Link) {
      const inner = this.parser.parseInline(tokens);
      if (!SAFE_HREF.test(href.trim())) return inner;
      const t = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(href.trim())}"${t} target="_blank" rel="noopener noreferrer nofollow">${inner}</a>`;
    },
    // Pictures are not fetched from wherever a model points: the alt text stands in for them.
    image({ text }: Tokens.Image) {
      return escapeHtml(text);
    },
    code({ text, lang }: Tokens.Code) {
      const name = langOf(lang);
      const lit = name ? highlight?.(text, name) : null;
      const cls = name ? ` class="hljs language-${escapeHtml(name)}"` : '';
      return (
        `<div class="code-block"><div class="code-head"><span class="code-lang">${escapeHtml(name || labels.code)}</span>` +
        `<button type="button" class="code-copy" data-copy="">${escapeHtml(labels.copy)}</button></div>` +
        `<pre><code${cls}>${lit ?? escapeHtml(text)}</code></pre></div>\n`
      );
    },
  };
}

/**
 * A renderer for untrusted Markdown (model output): raw HTML escaped, links only to http(s)/mailto, no images,
 * each fenced code block with a language label, a Copy button (Markdown.tsx listens for it) and, once the
 * highlighter is loaded, highlighting. DOMPurify then keeps only plain markup, as a second belt.
 */
export function makeMarkdownRenderer(labels: MarkdownLabels, highlight: Highlighter | null): (text: string) => string {
  const marked = new Marked({ gfm: true, breaks: true, renderer: rendererFor(labels, highlight) });
  return (text) =>
    DOMPurify.sanitize(marked.parse(text, { async: false }), {
      USE_PROFILES: { html: true },
      FORBID_TAGS: ['style', 'form', 'input', 'iframe', 'object', 'embed', 'textarea', 'select', 'img'],
      FORBID_ATTR: ['style', 'srcset'],
    });
}
