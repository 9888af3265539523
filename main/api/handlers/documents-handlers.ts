import { engineMessage } from '../../../preload/shared/engine-messages';
import type { DOCUMENTS_CALLS, DocumentDto, DocumentPassageDto, EmbedderStatusDto } from '../../../preload/contract';
import { sameModel } from '../../../preload/shared/model-name';
import { AppError, errorMessage } from '../../core/errors';
import { DocumentError } from '../../documents/document-types';
import type { DocumentRow, PassageRow } from '../../documents/documents-repository';
import { citationOf } from '../../documents/documents-service';
import type { Engine } from '../../engine';
import type { HandlersOf } from '../handler-types';

const documentDto = (d: DocumentRow): DocumentDto => ({
  id: d.id,
  sessionId: d.sessionId,
  name: d.name,
  kind: d.kind,
  sizeBytes: d.sizeBytes,
  pages: d.pages,
  chunks: d.chunks,
  embedModel: d.embedModel,
  createdAt: d.createdAt,
});

const passageDto = (p: PassageRow): DocumentPassageDto => ({ ...p, cite: citationOf(p) });

/** A file we cannot use is the caller's to fix: its reason goes back as it is (413 for size). */
function asAppError(err: unknown): unknown {
  if (!(err instanceof DocumentError)) return err;
  const code = err.code === 'too-large' ? 'payload_too_large' : err.code === 'not-found' ? 'not_found' : 'bad_request';
  return new AppError(code, err.message, { reason: err.code }, err.text);
}

/** The documents attached in the chat. Inputs arrive validated (see dispatch). */
export function documentsHandlers(engine: Engine): HandlersOf<keyof typeof DOCUMENTS_CALLS> {
  const docs = engine.documents;
  const session = (id: string | null | undefined): string | null => {
    if (id && !engine.store.sessions.get(id)) {
      throw new AppError('not_found', `No conversation ${id}.`, {}, engineMessage('error.noConversation', { id }));
    }
    return id ?? null;
  };
  return {
    'documents.add': async ({ name, dataBase64, sessionId }) => {
      const bytes = new Uint8Array(Buffer.from(dataBase64, 'base64'));
      try {
        const r = await docs.add({ name, bytes, sessionId: session(sessionId) });
        return { document: documentDto(r.document), note: r.note };
      } catch (err) {
        throw asAppError(err);
      }
    },
    'documents.list': ({ sessionId }) => ({ documents: docs.list(sessionId).map(documentDto) }),
    'documents.search': async ({ query, sessionId, limit }) => {
      const r = await docs.search(query, { sessionId: sessionId ?? null, ...(limit ? { limit } : {}) });
      return { mode: r.mode, note: r.note, passages: r.passages.map(passageDto) };
    },
    'documents.cited': ({ file, label, sessionId }) => ({
      passages: docs.cited(file, label, sessionId ?? null).map(passageDto),
    }),
    'documents.reindex': async ({ id }) => {
      try {
        const r = await docs.reindex(id);
        return { document: documentDto(r.document), note: r.note };
      } catch (err) {
        throw asAppError(err);
      }
    },
    'documents.delete': ({ id }) => ({ deleted: docs.delete(id) }),
    'documents.share': ({ id, sessionId }) => {
      const d = docs.setSession(id, session(sessionId));
      if (!d) {
        throw new AppError(
          'not_found',
          `Document ${id} does not exist.`,
          {},
          engineMessage('document.notFound', { id: String(id) }),
        );
      }
      return { document: documentDto(d) };
    },
    'documents.embedder': async (): Promise<EmbedderStatusDto> => {
      const model = docs.embedModel();
      const stale = docs.list().filter((d) => d.embedModel !== model).length;
      if (!model) return { model, installed: null, downloadBytes: null, verdict: null, reason: null, stale };
      const [installed, fit] = await Promise.all([
        engine.models.models.list().then(
          (l) => l.models.some((m) => sameModel(m.name, model)),
          () => null,
        ),
        engine.hardware.recommend().then(
          (r) => r.recommendations.find((x) => sameModel(x.model, model)) ?? null,
          (err: unknown) => {
            engine.logger.log('warn', 'documents', 'no fit verdict for the embedding model', {
              error: errorMessage(err),
            });
            return null;
          },
        ),
      ]);
      return {
        model,
        installed,
        downloadBytes: fit?.downloadBytes ?? null,
        verdict: fit?.verdict ?? null,
        // The advisor's words without its "not a chat model" aside: this one is not meant for chat.
        reason: fit ? fit.reason.replace(/; not a chat model/, '') : null,
        reasonText: fit ? fit.reasonText.filter((x) => x.id !== 'fit.notChat') : null,
        stale,
      };
    },
  };
}
