import { z } from 'zod';
import { citationOf, type DocumentsService } from '../../documents/documents-service';
import type { ToolReturn, ToolSpec } from './tool-types';
import { lazy } from '../../../preload/shared/lazy';

const schema = lazy(() =>
  z.object({
    query: z.string().trim().min(2).max(500).describe('What to look up in the attached documents, in words'),
    limit: z.number().int().min(1).max(10).default(5).describe('How many passages (default 5)'),
  }),
);

/** The names this tool answers to: ours, and the original server's. */
const DOCUMENT_TOOL_NAMES = ['search_documents', 'scan_document'] as const;

/**
 * `search_documents` (and the original's `scan_document`): the best passages from the documents attached to
 * this conversation and the shared library, each with the citation the answer must use.
 */
export function documentTools(documents: DocumentsService): ToolSpec[] {
  return DOCUMENT_TOOL_NAMES.map((name) => {
    const spec: ToolSpec<ReturnType<typeof schema>> = {
      name,
      description:
        name === 'search_documents'
          ? 'Search the documents the user attached (reports, spreadsheets, guidelines): returns the best passages with ' +
            'their file and page. Cite every fact taken from them as [file, p. N] exactly as given in `cite`.'
          : 'Same as search_documents (the original server’s name): passages from the attached documents with citations.',
      schema: schema(),
      async execute(args, ctx): Promise<ToolReturn> {
        if (documents.list(ctx.sessionId ?? null).length === 0) {
          return {
            result: {
              ok: false,
              error: {
                code: 'no_data',
                message: 'No documents are attached to this conversation or shared.',
                hint: 'Tell the user to attach a PDF, XLSX, CSV, TXT, Markdown or DOCX file to the chat.',
              },
            },
          };
        }
        const r = await documents.search(args.query, { sessionId: ctx.sessionId ?? null, limit: args.limit });
        return {
          result: {
            ok: true,
            data: {
              search: r.mode,
              ...(r.note ? { note: r.note } : {}),
              passages: r.passages.map((p) => ({ cite: citationOf(p), file: p.file, page: p.page, text: p.text })),
            },
          },
          meta: { sources: [...new Set(r.passages.map((p) => p.file))], cached: false, stale: false },
        };
      },
    };
    return spec;
  });
}
