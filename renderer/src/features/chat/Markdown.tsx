import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { memoLoader } from '../../lib/memo';
import { useApp } from '../../stores/app-store';
import './markdown.css';

/**
 * The Markdown parser and sanitiser load with the first reply shown, not with the first screen; the highlighter
 * only with the first reply that holds a fenced block naming a language. Each loader is a `const` memo
 * (lib/memo.ts): it owns the one loaded module, so no module `let` is needed to keep it.
 */
const markdown = memoLoader(() => import('../../lib/markdown'));
const highlighter = memoLoader(async () => (await import('../../lib/highlight')).highlightCode);

/** How long a Copy button says "Copied" before it offers to copy again. */
const COPIED_MS = 1500;

/**
 * Copy buttons inside the rendered HTML, by delegation on the container: the HTML comes through
 * dangerouslySetInnerHTML, and inline handlers would break the CSP. The raw code is the <code> text.
 * `shown`: the rendered HTML (not the plain-text stand-in) is on screen, so the container to listen on exists.
 */
function useCopyButtons(shown: boolean, copy: string, copied: string, failed: string) {
  const ref = useRef<HTMLDivElement>(null);
  // A layout effect: the listener is on before the buttons can be seen, not a frame later.
  useLayoutEffect(() => {
    const box = ref.current;
    if (!box) return;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const onClick = (e: MouseEvent) => {
      const button = e.target instanceof Element ? e.target.closest('button[data-copy]') : null;
      const code = button?.closest('.code-block')?.querySelector('pre code')?.textContent;
      if (!button || code == null) return;
      navigator.clipboard.writeText(code).then(
        () => {
          button.textContent = copied;
          const timer = setTimeout(() => {
            timers.delete(timer);
            button.textContent = copy;
          }, COPIED_MS);
          timers.add(timer);
        },
        () => useApp.getState().notify('error', failed),
      );
    };
    box.addEventListener('click', onClick);
    return () => {
      box.removeEventListener('click', onClick);
      timers.forEach(clearTimeout);
    };
  }, [shown, copy, copied, failed]);
  return ref;
}

/** Sanitised Markdown (see lib/markdown.ts): the only place model text becomes HTML. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  const { t } = useTranslation();
  const [mod, setMod] = useState(markdown.peek);
  const [highlight, setHighlight] = useState(highlighter.peek);
  const wantsHighlight = mod !== null && highlight === null && mod.hasFencedLanguage(text);
  useEffect(() => {
    if (mod) return;
    let live = true;
    void markdown.load().then((m) => live && setMod(() => m));
    return () => {
      live = false;
    };
  }, [mod]);
  useEffect(() => {
    if (!wantsHighlight) return;
    let live = true;
    void highlighter.load().then((h) => live && setHighlight(() => h));
    return () => {
      live = false;
    };
  }, [wantsHighlight]);
  const code = t('chat.markdown.code');
  const copy = t('chat.markdown.copy');
  const render = useMemo(
    () => mod?.makeMarkdownRenderer({ code, copy }, highlight) ?? null,
    [mod, highlight, code, copy],
  );
  const ref = useCopyButtons(render !== null, copy, t('chat.markdown.copied'), t('chat.markdown.copyFailed'));
  // Until the renderer is here (a moment, once), the text shows as plain text: never as HTML.
  if (!render) return <div className="markdown markdown-plain">{text}</div>;
  return <div ref={ref} className="markdown" dangerouslySetInnerHTML={{ __html: render(text) }} />;
});
