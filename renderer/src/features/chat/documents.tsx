/**
 * Documents in the chat, kept small and self-contained: attach (button, drag and drop, paste) with the
 * conversation's documents as chips, and an answer's citations `[file, p. N]` as buttons that show the
 * cited passage. Everything goes through the contract's documents.* calls; files never leave the laptop.
 */
import { lazy, Suspense, useCallback, useState, type ReactNode } from 'react';
import type { DocumentDto } from '../../../../preload/contract';
import { errorText, getApi } from '../../bridge';
import { useCall } from '../../lib/use-call';
import { useApp } from '../../stores/app-store';
import './documents.css';
import { FileDrop } from '../../components/FileDrop';
import { Icon } from '../../components/Icon';
import { t } from '../../i18n';

// The library and the embedding offer load when first shown: the first screen's script stays small.
const DocumentsLibrary = lazy(async () => ({
  default: (await import('../documents/DocumentsLibrary')).DocumentsLibrary,
}));
const EmbeddingOffer = lazy(async () => ({ default: (await import('../documents/EmbeddingOffer')).EmbeddingOffer }));

// .xls and .doc are offered too, so picking one gets the words that say how to convert it.
const ACCEPT = '.pdf,.xlsx,.xlsm,.xls,.csv,.tsv,.txt,.md,.markdown,.docx,.doc';

async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

function describe(d: DocumentDto): string {
  const parts = [
    d.pages ? t(d.kind === 'xlsx' ? 'documents.sheets' : 'documents.pages', { count: d.pages }) : null,
    t('documents.passages', { count: d.chunks }),
  ];
  return parts.filter(Boolean).join(' · ');
}

/** Wraps the composer: drop or paste files anywhere on it; the attach button and the chips sit above it. */
export function DocumentDropZone({ children }: { children: ReactNode }) {
  const activeId = useApp((s) => s.activeId);
  // No open chat, no chips; a chat whose list fails shows none rather than the last chat's.
  const list = useCall('documents.list', activeId ? { sessionId: activeId } : {}, { enabled: activeId !== null });
  const docs = list.error ? [] : (list.data?.documents ?? []);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'note'; text: string } | null>(null);
  const [libraryOpen, setLibraryOpen] = useState(false);

  const { reload } = list;
  // After a re-index or delete elsewhere: the chips again, and a keyword-only note no longer holds.
  const reloadQuietly = useCallback(() => {
    setMessage((m) => (m?.kind === 'note' ? null : m));
    void reload();
  }, [reload]);

  const attach = async (files: File[]) => {
    if (!files.length) return;
    setMessage(null);
    let sessionId = useApp.getState().activeId;
    try {
      if (!sessionId) {
        // A document belongs to a conversation: start one for it.
        const s = await getApi().call('sessions.create', { title: files[0]!.name.slice(0, 200) });
        sessionId = s.id;
        await useApp.getState().refreshSessions();
        await useApp.getState().select(s.id);
      }
      for (const file of files) {
        setBusy(t('documents.reading', { name: file.name }));
        const r = await getApi().call('documents.add', {
          name: file.name,
          dataBase64: await toBase64(file),
          sessionId,
        });
        if (r.note) setMessage({ kind: 'note', text: r.note });
      }
      await reload();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(null);
    }
  };

  const remove = async (d: DocumentDto) => {
    try {
      await getApi().call('documents.delete', { id: d.id });
      await reload();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    }
  };

  return (
    <FileDrop
      accept={ACCEPT}
      multiple
      inputLabel={t('documents.attachDocuments')}
      onFiles={(files) => void attach(files)}
      zone={{ className: 'doc-dropzone', overClassName: 'doc-over', testId: 'doc-dropzone', paste: true }}
    >
      {(choose) => (
        <>
          <div className="doc-bar">
            {/* A button (not a label round the hidden input) so that attaching is reachable from the keyboard. */}
            <button type="button" className="btn doc-attach" title={t('documents.attachTitle')} onClick={choose}>
              <Icon name="paperclip" size={16} /> {t('documents.attach')}
            </button>
            {docs.map((d) => (
              <span key={d.id} className="doc-chip" data-testid="doc-chip" title={describe(d)}>
                <Icon name="file" size={14} /> {d.name} <span className="muted small">{describe(d)}</span>
                {!d.embedModel && <span className="doc-badge">{t('documents.keywordsOnly')}</span>}
                {d.sessionId === null && <span className="doc-badge">{t('documents.shared')}</span>}
                <button
                  className="doc-remove"
                  aria-label={t('documents.remove', { name: d.name })}
                  onClick={() => void remove(d)}
                >
                  ×
                </button>
              </span>
            ))}
            <button className="btn doc-library-open" onClick={() => setLibraryOpen(true)}>
              {t('documents.library.open')}
            </button>
            {busy && <span className="muted small">{busy}</span>}
          </div>
          {docs.length > 0 && (
            <Suspense fallback={null}>
              <EmbeddingOffer onChanged={reloadQuietly} version={docs.length} />
            </Suspense>
          )}
          {libraryOpen && (
            <Suspense fallback={null}>
              <DocumentsLibrary onClose={() => setLibraryOpen(false)} onChanged={reloadQuietly} />
            </Suspense>
          )}
          {message && (
            <div className={`doc-message doc-${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
              {message.text}
            </div>
          )}
          {children}
        </>
      )}
    </FileDrop>
  );
}

const CITATION =
  /\[([^\][\n]+?\.(?:pdf|xlsx|xlsm|csv|tsv|txt|md|markdown|docx))(?:,\s*((?:p\.|sheet)\s*[^\]\n]+))?\]/gi;

/** The distinct `[file, p. N]` citations in an answer. */
export function citationsIn(text: string): Array<{ file: string; label: string | null }> {
  const seen = new Map<string, { file: string; label: string | null }>();
  for (const m of text.matchAll(CITATION)) {
    const file = m[1]!.trim();
    const label = m[2]?.trim().replace(/^p\.\s*/, 'p. ') ?? null;
    seen.set(`${file}|${label}`, { file, label });
  }
  return [...seen.values()];
}

/** Under an answer: its citations as buttons; a click shows the cited passage. */
export function DocumentCitations({ text }: { text: string }) {
  const sessionId = useApp((s) => s.activeId);
  const [open, setOpen] = useState<{ file: string; label: string | null } | null>(null);
  const cited = useCall(
    'documents.cited',
    { file: open?.file ?? '', label: open?.label ?? null, ...(sessionId ? { sessionId } : {}) },
    { enabled: open !== null },
  );
  const cites = citationsIn(text);
  if (!cites.length) return null;
  const show = (file: string, label: string | null) =>
    setOpen(open?.file === file && open.label === label ? null : { file, label });
  const passages = cited.data?.passages ?? [];
  const error = cited.error ?? (cited.data && !passages.length ? t('documents.gone') : null);
  return (
    <div className="doc-citations">
      {cites.map((c) => (
        <button key={`${c.file}|${c.label}`} className="doc-cite" onClick={() => show(c.file, c.label)}>
          <Icon name="file" size={14} /> {c.file}
          {c.label ? `, ${c.label}` : ''}
        </button>
      ))}
      {open && (cited.data || cited.error) && (
        <div className="doc-passage" role="region" aria-label={t('documents.cited')} data-testid="doc-passage">
          {error ? (
            <p className="muted">{error}</p>
          ) : (
            passages.map((p) => <blockquote key={p.chunkId}>{p.text}</blockquote>)
          )}
        </div>
      )}
    </div>
  );
}
