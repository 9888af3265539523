import { memo } from 'react';
import { renderMarkdown } from '../../lib/markdown';

/** Sanitised Markdown (see lib/markdown.ts): the only place model text becomes HTML. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return <div className="markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />;
});
