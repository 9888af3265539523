/**
 * The offer behind better document search: the embedding model's download, asked for in words with its size
 * and whether it fits this computer, and pulled only on the person's click; then the documents searched by
 * keywords only are re-indexed, with progress. Loaded on demand (chat shows it only where documents are).
 */
import { useEffect, useRef } from 'react';
import type { FitVerdictDto } from '../../../../preload/contract';
import { Icon } from '../../components/Icon';
import { diskSize } from '../../lib/format';
import { staleDocuments, useLibrary } from './library-store';
import './documents-library.css';

/** The hardware advisor's verdict, worded as on the Models page. */
const FIT_WORDS: Record<FitVerdictDto, string> = {
  'full-gpu': 'Full GPU',
  partial: 'Partial GPU',
  cpu: 'CPU only',
  'too-large': 'Too large',
};

/** `version`: changes when documents were attached or removed elsewhere, so the counts are read again. */
export function EmbeddingOffer({ onChanged, version }: { onChanged?: () => void; version?: number }) {
  const { embedder, pull, progress, documents, error } = useLibrary();
  useEffect(() => {
    void useLibrary.getState().load();
  }, [version]);
  // A finished re-index changes what the chat's chips say.
  const running = progress !== null;
  const wasRunning = useRef(false);
  useEffect(() => {
    if (wasRunning.current && !running) onChanged?.();
    wasRunning.current = running;
  }, [running, onChanged]);

  if (!embedder?.model) return null;
  const model = embedder.model;
  const stale = staleDocuments(documents, model);

  if (progress) {
    return (
      <div className="doc-offer" role="status" data-testid="doc-reindex">
        <span>
          Re-indexing {progress.current} with {model} ({progress.done + 1} of {progress.total})…
        </span>
        <progress max={progress.total} value={progress.done} aria-label="Re-index progress" />
      </div>
    );
  }
  if (pull && (pull.state === 'pulling' || pull.state === 'queued')) {
    return (
      <div className="doc-offer" role="status" data-testid="doc-embed-pull">
        <span>
          Downloading {model}
          {pull.percent !== null ? ` · ${Math.round(pull.percent)}%` : '…'}
        </span>
        <progress max={100} value={pull.percent ?? undefined} aria-label={`Download of ${model}`} />
      </div>
    );
  }
  if (embedder.installed === false) {
    const tooLarge = embedder.verdict === 'too-large';
    return (
      <div className="doc-offer" data-testid="doc-embed-offer">
        <span>
          Better search needs a small download: <strong>{model}</strong>, {diskSize(embedder.downloadBytes)}
        </span>
        <button className="btn btn-primary" disabled={tooLarge} onClick={() => void useLibrary.getState().download()}>
          <Icon name="download" size={14} /> Download
        </button>
        {embedder.verdict && (
          <span className={`doc-fit fit-${embedder.verdict}`} title={embedder.reason ?? undefined}>
            {FIT_WORDS[embedder.verdict]}
            {embedder.reason ? ` · ${embedder.reason}` : ''}
          </span>
        )}
        {pull?.state === 'failed' && <span className="doc-offer-error">{pull.error ?? 'The download failed.'}</span>}
        {error && <span className="doc-offer-error">{error}</span>}
      </div>
    );
  }
  if (embedder.installed && stale.length) {
    return (
      <div className="doc-offer" data-testid="doc-embed-stale">
        <span>{stale.length === 1 ? '1 document is' : `${stale.length} documents are`} searched by keywords only.</span>
        <button className="btn" onClick={() => void useLibrary.getState().reindexStale()}>
          Re-index with {model}
        </button>
      </div>
    );
  }
  return null;
}
