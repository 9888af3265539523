import { memo, useEffect, useState } from 'react';
import { memoLoader } from '../../lib/memo';

/**
 * The Markdown parser and sanitiser load with the first reply shown, not with the first screen. The loader is
 * a `const` memo (lib/memo.ts): it owns the one loaded renderer, so no module `let` is needed to keep it.
 */
const renderer = memoLoader(async () => (await import('../../lib/markdown')).renderMarkdown);

/** Sanitised Markdown (see lib/markdown.ts): the only place model text becomes HTML. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  const [ready, setReady] = useState(renderer.peek() !== null);
  useEffect(() => {
    if (ready) return;
    let live = true;
    void renderer.load().then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, [ready]);
  // Until the renderer is here (a moment, once), the text shows as plain text: never as HTML.
  const render = ready ? renderer.peek() : null;
  if (!render) return <div className="markdown markdown-plain">{text}</div>;
  return <div className="markdown" dangerouslySetInnerHTML={{ __html: render(text) }} />;
});
