/**
 * The documents library: every document, this conversation's or shared with all, with its size, pages,
 * passages and the embedding model behind its vectors; re-index (embed again with the current model) and
 * delete (the document, its passages and their vectors). Loaded on demand from the chat's Library button.
 */
import { useEffect, useState } from 'react';
import type { DocumentDto } from '../../../../preload/contract';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { diskSize } from '../../lib/format';
import { useApp } from '../../stores/app-store';
import { EmbeddingOffer } from './EmbeddingOffer';
import { useLibrary } from './library-store';
import './documents-library.css';

type Scope = 'chat' | 'all';

function pagesOf(d: DocumentDto): string {
  if (d.pages === null) return '—';
  return d.kind === 'xlsx' ? `${d.pages} ${d.pages === 1 ? 'sheet' : 'sheets'}` : String(d.pages);
}

export function DocumentsLibrary({ onClose, onChanged }: { onClose: () => void; onChanged?: () => void }) {
  const activeId = useApp((s) => s.activeId);
  const sessions = useApp((s) => s.sessions);
  const { documents, embedder, progress, notes, error } = useLibrary();
  const [scope, setScope] = useState<Scope>(activeId ? 'chat' : 'all');
  const [confirm, setConfirm] = useState<number | null>(null);
  useEffect(() => {
    void useLibrary.getState().load();
  }, []);

  const title = (d: DocumentDto) =>
    d.sessionId === null ? 'Shared' : (sessions.find((s) => s.id === d.sessionId)?.title ?? 'Another conversation');
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
    <Dialog title="Documents" onClose={onClose} className="doc-library">
      <p className="muted small">
        Documents stay on this computer: their text, passages and vectors are kept in the app's store and in its
        backups.
      </p>
      <EmbeddingOffer onChanged={onChanged} />
      <div className="doc-lib-scope" role="radiogroup" aria-label="Which documents">
        <label>
          <input type="radio" checked={scope === 'chat'} disabled={!activeId} onChange={() => setScope('chat')} />
          This conversation and shared
        </label>
        <label>
          <input type="radio" checked={scope === 'all'} onChange={() => setScope('all')} /> All documents
        </label>
      </div>
      {error && (
        <p className="doc-offer-error" role="alert">
          {error}
        </p>
      )}
      {shown.length === 0 ? (
        <p className="muted">No documents yet: attach one in a conversation.</p>
      ) : (
        <table className="doc-lib-table" aria-label="Documents">
          <thead>
            <tr>
              <th>Name</th>
              <th>Conversation</th>
              <th>Size</th>
              <th>Pages</th>
              <th>Passages</th>
              <th>Search</th>
              <th aria-label="Actions" />
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
                <td>{d.chunks}</td>
                <td>{d.embedModel ? `${d.embedModel} + keywords` : 'Keywords only'}</td>
                <td className="doc-lib-actions">
                  {confirm === d.id ? (
                    <>
                      <span className="small">Delete it and its vectors?</span>
                      <button className="btn btn-danger" onClick={() => void remove(d.id)}>
                        Delete
                      </button>
                      <button className="btn" onClick={() => setConfirm(null)}>
                        Keep
                      </button>
                    </>
                  ) : (
                    <>
                      <button
                        className="btn"
                        disabled={progress !== null || !embedder?.model || embedder.installed === false}
                        title={
                          embedder?.model
                            ? `Embed its passages again with ${embedder.model}`
                            : 'No embedding model is set up: keyword search only'
                        }
                        aria-label={`Re-index ${d.name}`}
                        onClick={() => void reindex(d.id)}
                      >
                        Re-index
                      </button>
                      {d.sessionId !== null ? (
                        <button
                          className="btn"
                          title="Every conversation can search it"
                          onClick={() => void share(d.id, null)}
                        >
                          Share with all
                        </button>
                      ) : (
                        activeId && (
                          <button
                            className="btn"
                            title="Only this conversation searches it"
                            onClick={() => void share(d.id, activeId)}
                          >
                            Keep to this conversation
                          </button>
                        )
                      )}
                      <button
                        className="btn"
                        disabled={progress !== null}
                        aria-label={`Delete ${d.name}`}
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
