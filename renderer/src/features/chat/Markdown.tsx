import { memo, useEffect, useState } from 'react';

type Render = (text: string) => string;
/** The Markdown parser and sanitiser load with the first reply shown, not with the first screen. */
let render: Render | null = null;
let loading: Promise<Render> | null = null;
const loadRenderer = (): Promise<Render> =>
  (loading ??= import('../../lib/markdown').then((m) => (render = m.renderMarkdown)));

/** Sanitised Markdown (see lib/markdown.ts): the only place model text becomes HTML. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  const [ready, setReady] = useState(render !== null);
  useEffect(() => {
    if (ready) return;
    let live = true;
    void loadRenderer().then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, [ready]);
  // Until the renderer is here (a moment, once), the text shows as plain text: never as HTML.
  if (!ready || !render) return <div className="markdown markdown-plain">{text}</div>;
  return <div className="markdown" dangerouslySetInnerHTML={{ __html: render(text) }} />;
});
