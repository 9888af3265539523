import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';

// The languages air-quality answers use (analysis scripts, API calls, queries); CSV and others stay plain.
// Loaded only when a reply holds a fenced block that names a language (features/chat/Markdown.tsx).
hljs.registerLanguage('python', python);
hljs.registerLanguage('javascript', javascript);
hljs.registerLanguage('typescript', typescript);
hljs.registerLanguage('json', json);
hljs.registerLanguage('bash', bash);
hljs.registerLanguage('shell', shell);
hljs.registerLanguage('sql', sql);

/** highlight.js's HTML for `code`: the code escaped, in `<span class="hljs-…">` only; null for a language not registered. */
export function highlightCode(code: string, lang: string): string | null {
  const name = lang.toLowerCase();
  if (!hljs.getLanguage(name)) return null;
  return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
}
