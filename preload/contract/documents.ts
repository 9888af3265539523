/** Calls of the documents attached in the chat: add, list, search, show a cited passage, re-index, delete. */
import { z } from 'zod';
import { call, EMPTY, SESSION_ID } from './define';
import type { FitVerdictDto } from './models';
import type { EngineTextDto } from '../shared/engine-messages';
import { lazy } from '../shared/lazy';

export interface DocumentDto {
  id: number;
  /** null: shared by every conversation. */
  sessionId: string | null;
  name: string;
  kind: 'pdf' | 'xlsx' | 'csv' | 'text' | 'docx';
  sizeBytes: number;
  pages: number | null;
  chunks: number;
  /** null: searched by keywords (BM25) only. */
  embedModel: string | null;
  createdAt: number;
}

export interface DocumentPassageDto {
  chunkId: number;
  docId: number;
  file: string;
  page: number | null;
  /** `p. 12`, `sheet Readings`, or null for a page-less document. */
  label: string | null;
  /** `[annual-report.pdf, p. 12]` */
  cite: string;
  text: string;
}

interface DocumentAddedDto {
  document: DocumentDto;
  /** Why the document is searched by keywords only, in words; null when it has vectors. */
  note: string | null;
}

/** The embedding model search uses, whether it is installed, and what its download would cost this machine. */
export interface EmbedderStatusDto {
  /** The configured model (AERIS_EMBED_MODEL, default nomic-embed-text); null: keyword search was chosen. */
  model: string | null;
  /** null: Ollama could not be asked. */
  installed: boolean | null;
  /** The catalog's download size, and the hardware advisor's verdict for this machine; null outside the catalog. */
  downloadBytes: number | null;
  verdict: FitVerdictDto | null;
  /** In words: "runs on the CPU, needs 346 MB of 5 GB free RAM at 2k context". */
  reason: string | null;
  /** The reason's parts as message ids (joined with "; "), for the UI's language. */
  reasonText?: EngineTextDto[] | null;
  /** Documents without this model's vectors (searched by keywords only until re-indexed). */
  stale: number;
}

const ID = lazy(() => z.number().int().positive());
/** 25 MB files, base64 (4/3) with room for the JSON around them. */
export const DOCUMENT_UPLOAD_MAX_CHARS = 36 * 1024 * 1024;

export const DOCUMENTS_CALLS = {
  /** Attaches a file to a conversation (or shares it with all when `sessionId` is absent). */
  'documents.add': call<DocumentAddedDto>()(() =>
    z
      .object({
        name: z.string().trim().min(1).max(255),
        dataBase64: z.string().min(1).max(DOCUMENT_UPLOAD_MAX_CHARS),
        sessionId: SESSION_ID().nullable().optional(),
      })
      .strict(),
  ),
  /** A conversation's documents and the shared ones; every document without `sessionId`. */
  'documents.list': call<{ documents: DocumentDto[] }>()(() =>
    z.object({ sessionId: SESSION_ID().optional() }).strict(),
  ),
  'documents.search': call<{ mode: 'hybrid' | 'keyword'; note: string | null; passages: DocumentPassageDto[] }>()(() =>
    z
      .object({
        query: z.string().trim().min(1).max(500),
        sessionId: SESSION_ID().optional(),
        limit: z.number().int().min(1).max(20).optional(),
      })
      .strict(),
  ),
  /** The passages behind a citation `[file, label]`, for a click on it in an answer. */
  'documents.cited': call<{ passages: DocumentPassageDto[] }>()(() =>
    z
      .object({
        file: z.string().trim().min(1).max(255),
        label: z.string().trim().max(200).nullable(),
        sessionId: SESSION_ID().optional(),
      })
      .strict(),
  ),
  'documents.reindex': call<DocumentAddedDto>()(() => z.object({ id: ID() }).strict()),
  /** The embedding model, for the offer to download it (never pulled without the person's click). */
  'documents.embedder': call<EmbedderStatusDto>()(() => EMPTY()),
  'documents.delete': call<{ deleted: boolean }>()(() => z.object({ id: ID() }).strict()),
  /** Shares a document with every conversation (`sessionId: null`), or keeps it to one conversation. */
  'documents.share': call<{ document: DocumentDto }>()(() =>
    z.object({ id: ID(), sessionId: SESSION_ID().nullable() }).strict(),
  ),
} as const;
