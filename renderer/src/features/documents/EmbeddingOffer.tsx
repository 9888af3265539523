/**
 * The offer behind better document search: the embedding model's download, asked for in words with its size
 * and whether it fits this computer, and pulled only on the person's click; then the documents searched by
 * keywords only are re-indexed, with progress. Loaded on demand (chat shows it only where documents are).
 */
import { useEffect, useRef } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { FitVerdictDto } from '../../../../preload/contract';
import { Icon } from '../../components/Icon';
import { diskSize, formatNumber } from '../../lib/format';
import { fitReasonText } from '../../i18n/engine-text';
import { staleDocuments, useLibrary } from './library-store';
import './documents-library.css';

/** The hardware advisor's verdict, worded as on the Models page. */
const FIT_WORDS = {
  'full-gpu': 'documents.offer.fit.full-gpu',
  partial: 'documents.offer.fit.partial',
  cpu: 'documents.offer.fit.cpu',
  'too-large': 'documents.offer.fit.too-large',
} as const satisfies Record<FitVerdictDto, string>;

/** `version`: changes when documents were attached or removed elsewhere, so the counts are read again. */
export function EmbeddingOffer({ onChanged, version }: { onChanged?: () => void; version?: number }) {
  const { t } = useTranslation();
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
          {t('documents.offer.reindexing', {
            name: progress.current,
            model,
            step: progress.done + 1,
            total: progress.total,
          })}
        </span>
        <progress max={progress.total} value={progress.done} aria-label={t('documents.offer.progress')} />
      </div>
    );
  }
  if (pull && (pull.state === 'pulling' || pull.state === 'queued')) {
    return (
      <div className="doc-offer" role="status" data-testid="doc-embed-pull">
        <span>
          {t('documents.offer.downloading', { model })}
          {pull.percent !== null ? ` · ${formatNumber(pull.percent / 100, { style: 'percent' })}` : '…'}
        </span>
        <progress max={100} value={pull.percent ?? undefined} aria-label={t('documents.offer.downloadOf', { model })} />
      </div>
    );
  }
  if (embedder.installed === false) {
    const tooLarge = embedder.verdict === 'too-large';
    return (
      <div className="doc-offer" data-testid="doc-embed-offer">
        <span>
          <Trans
            i18nKey="documents.offer.needs"
            values={{ model, size: diskSize(embedder.downloadBytes) }}
            components={{ strong: <strong /> }}
          />
        </span>
        <button className="btn btn-primary" disabled={tooLarge} onClick={() => void useLibrary.getState().download()}>
          <Icon name="download" size={14} /> {t('documents.offer.download')}
        </button>
        {embedder.verdict && (
          <span
            className={`doc-fit fit-${embedder.verdict}`}
            title={embedder.reason ? fitReasonText(embedder) : undefined}
          >
            {t(FIT_WORDS[embedder.verdict])}
            {embedder.reason ? ` · ${fitReasonText(embedder)}` : ''}
          </span>
        )}
        {pull?.state === 'failed' && (
          <span className="doc-offer-error">{pull.error ?? t('documents.offer.failed')}</span>
        )}
        {error && <span className="doc-offer-error">{error}</span>}
      </div>
    );
  }
  if (embedder.installed && stale.length) {
    return (
      <div className="doc-offer" data-testid="doc-embed-stale">
        <span>{t('documents.offer.stale', { count: stale.length })}</span>
        <button className="btn" onClick={() => void useLibrary.getState().reindexStale()}>
          {t('documents.offer.reindexWith', { model })}
        </button>
      </div>
    );
  }
  return null;
}
