/**
 * The documents library: every document, this conversation's or shared with all, with its size, pages,
 * passages and the embedding model behind its vectors; re-index (embed again with the current model) and
 * delete (the document, its passages and their vectors). Loaded on demand from the chat's Library button.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentDto } from '../../../../preload/contract';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { t } from '../../i18n';
import { diskSize, formatNumber } from '../../lib/format';
import { useApp } from '../../stores/app-store';
import { EmbeddingOffer } from './EmbeddingOffer';
import { useLibrary } from './library-store';
import './documents-library.css';

type Scope = 'chat' | 'all';

function pagesOf(d: DocumentDto): string {
  if (d.pages === null) return '—';
  return d.kind === 'xlsx' ? t('documents.sheets', { count: d.pages }) : formatNumber(d.pages);
}

export function DocumentsLibrary({ onClose, onChanged }: { onClose: () => void; onChanged?: () => void }) {
  // Re-renders on a language switch.
  useTranslation();
  const activeId = useApp((s) => s.activeId);
  const sessions = useApp((s) => s.sessions);
  const { documents, embedder, progress, notes, error } = useLibrary();
  const [scope, setScope] = useState<Scope>(activeId ? 'chat' : 'all');
  const [confirm, setConfirm] = useState<number | null>(null);
  useEffect(() => {
    void useLibrary.getState().load();
  }, []);

  const title = (d: DocumentDto) =>
    d.sessionId === null
      ? t('documents.library.shared')
      : (sessions.find((s) => s.id === d.sessionId)?.title ?? t('documents.library.otherConversation'));
  const shown = documents.filter((d) => scope === 'all' || d.sessionId === null || d.sessionId === activeId);
  const remove = async (id: number) => {
    setConfirm(null);
    await useLibrary.getState().remove(id);
    onChanged?.();
  };
  const share = async (id: number, sessionId: string | null) => {
    await useLibrary.getState().share(id, sessionId);
    onChanged?.();
  };
  const reindex = async (id: number) => {
    await useLibrary.getState().reindex([id]);
    onChanged?.();
  };

  return (
    <Dialog title={t('documents.library.title')} onClose={onClose} className="doc-library">
      <p className="muted small">{t('documents.library.intro')}</p>
      <EmbeddingOffer onChanged={onChanged} />
      <div className="doc-lib-scope" role="radiogroup" aria-label={t('documents.library.which')}>
        <label>
          <input type="radio" checked={scope === 'chat'} disabled={!activeId} onChange={() => setScope('chat')} />
          {t('documents.library.thisAndShared')}
        </label>
        <label>
          <input type="radio" checked={scope === 'all'} onChange={() => setScope('all')} /> {t('documents.library.all')}
        </label>
      </div>
      {error && (
        <p className="doc-offer-error" role="alert">
          {error}
        </p>
      )}
      {shown.length === 0 ? (
        <p className="muted">{t('documents.library.empty')}</p>
      ) : (
        <table className="doc-lib-table" aria-label={t('documents.library.title')}>
          <thead>
            <tr>
              <th>{t('documents.library.name')}</th>
              <th>{t('documents.library.conversation')}</th>
              <th>{t('documents.library.size')}</th>
              <th>{t('documents.library.pages')}</th>
              <th>{t('documents.library.passages')}</th>
              <th>{t('documents.library.search')}</th>
              <th aria-label={t('documents.library.actions')} />
            </tr>
          </thead>
          <tbody>
            {shown.map((d) => (
              <tr key={d.id} data-testid="doc-lib-row">
                <td>
                  <Icon name="file" size={14} /> {d.name}
                  {notes[d.id] && <div className="doc-offer-error small">{notes[d.id]}</div>}
                </td>
                <td>{title(d)}</td>
                <td>{diskSize(d.sizeBytes)}</td>
                <td>{pagesOf(d)}</td>
                <td>{formatNumber(d.chunks)}</td>
                <td>
                  {d.embedModel
                    ? t('documents.library.withKeywords', { model: d.embedModel })
                    : t('documents.library.keywordsOnly')}
                </td>
                <td className="doc-lib-actions">
                  {confirm === d.id ? (
                    <>
                      <span className="small">{t('documents.library.confirmDelete')}</span>
                      <button className="btn btn-danger" onClick={() => void remove(d.id)}>
                        {t('documents.library.delete')}
                      </button>
                      <button className="btn" onClick={() => setConfirm(null)}>
                        {t('documents.library.keep')}
                      </button>
                    </>
                  ) : (
                    <>
                      <button
                        className="btn"
                        disabled={progress !== null || !embedder?.model || embedder.installed === false}
                        title={
                          embedder?.model
                            ? t('documents.library.reindexTitle', { model: embedder.model })
                            : t('documents.library.noEmbedder')
                        }
                        aria-label={t('documents.library.reindexName', { name: d.name })}
                        onClick={() => void reindex(d.id)}
                      >
                        {t('documents.library.reindex')}
                      </button>
                      {d.sessionId !== null ? (
                        <button
                          className="btn"
                          title={t('documents.library.shareTitle')}
                          onClick={() => void share(d.id, null)}
                        >
                          {t('documents.library.share')}
                        </button>
                      ) : (
                        activeId && (
                          <button
                            className="btn"
                            title={t('documents.library.keepHereTitle')}
                            onClick={() => void share(d.id, activeId)}
                          >
                            {t('documents.library.keepHere')}
                          </button>
                        )
                      )}
                      <button
                        className="btn"
                        disabled={progress !== null}
                        aria-label={t('documents.library.deleteName', { name: d.name })}
                        onClick={() => setConfirm(d.id)}
                      >
                        <Icon name="trash" size={14} />
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Dialog>
  );
}
