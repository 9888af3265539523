import { engineMessage, type EngineText } from '../../preload/shared/engine-messages';
/** What can be attached, the limits, and the errors a user reads when a file cannot be used. */

export type DocumentKind = 'pdf' | 'xlsx' | 'csv' | 'text' | 'docx';

/** One unit of a document a citation can point at: a PDF page, a sheet, or the whole text. */
export interface ExtractedPage {
  /** 1-based PDF page or sheet number; null where the format has no pages (DOCX, CSV, text). */
  page: number | null;
  /** What a citation shows: `p. 12`, `sheet Readings`; null for a page-less document. */
  label: string | null;
  text: string;
}

export interface ExtractedDocument {
  kind: DocumentKind;
  /** PDF pages or sheets; null for page-less formats. */
  pageCount: number | null;
  pages: ExtractedPage[];
}

export interface DocumentLimits {
  maxBytes: number;
  maxPages: number;
  /** Text kept from one document (a huge sheet would otherwise fill the store). */
  maxChars: number;
  /** Wall time for one extraction before its worker is stopped. */
  timeoutMs: number;
}

export const DEFAULT_LIMITS: DocumentLimits = {
  maxBytes: 25 * 1024 * 1024,
  maxPages: 1000,
  maxChars: 8_000_000,
  timeoutMs: 120_000,
};

export type DocumentErrorCode =
  | 'unsupported'
  | 'too-large'
  | 'too-many-pages'
  | 'too-much-text'
  | 'no-text-layer'
  | 'encrypted'
  | 'unreadable'
  | 'empty'
  | 'timeout'
  | 'not-found';

/** A file we cannot use, with the reason in words (shown in the chat and returned by the API). */
export class DocumentError extends Error {
  constructor(
    readonly code: DocumentErrorCode,
    message: string,
    /** The message as an id for the UI's language (issue 15). */
    readonly text?: EngineText,
  ) {
    super(message);
    this.name = 'DocumentError';
  }
}

const EXTENSIONS: Record<string, DocumentKind> = {
  pdf: 'pdf',
  xlsx: 'xlsx',
  xlsm: 'xlsx',
  csv: 'csv',
  tsv: 'csv',
  txt: 'text',
  md: 'text',
  markdown: 'text',
  docx: 'docx',
};

/**
 * The kind from the file name, checked against the first bytes (a renamed file is refused with a reason
 * rather than handed to the wrong parser).
 */
export function detectKind(name: string, head: Uint8Array): DocumentKind {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  const isZip = head[0] === 0x50 && head[1] === 0x4b;
  const isOle = head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0;
  // Office 97-2003 (BIFF .xls, binary .doc) is refused in words: npm's only BIFF reader (SheetJS `xlsx` 0.18.5)
  // has known vulnerabilities, fixed only in releases outside the npm registry.
  if (ext === 'xls' || (isOle && ext !== 'doc')) {
    throw new DocumentError(
      'unsupported',
      `${name} is an old Excel 97-2003 workbook, which AERIS-AQ cannot read. Save it as .xlsx in Excel or LibreOffice and attach again.`,
      engineMessage('document.oldExcel', { name }),
    );
  }
  if (ext === 'doc') {
    throw new DocumentError(
      'unsupported',
      `${name} is an old Word 97-2003 document, which AERIS-AQ cannot read. Save it as .docx in Word or LibreOffice and attach again.`,
      engineMessage('document.oldWord', { name }),
    );
  }
  const kind = EXTENSIONS[ext];
  if (!kind) {
    throw new DocumentError(
      'unsupported',
      `${name}: this kind of file cannot be attached. Attach PDF, XLSX, CSV, TXT, Markdown or DOCX.`,
      engineMessage('document.unsupported', { name }),
    );
  }
  const isPdf = head[0] === 0x25 && head[1] === 0x50 && head[2] === 0x44 && head[3] === 0x46; // %PDF
  if (kind === 'pdf' && !isPdf)
    throw new DocumentError(
      'unreadable',
      `${name} is not a PDF (it does not start with %PDF).`,
      engineMessage('document.notPdf', { name }),
    );
  if ((kind === 'xlsx' || kind === 'docx') && !isZip) {
    throw new DocumentError(
      'unreadable',
      `${name} is not a valid .${ext} file (it is not an Office Open XML package).`,
      engineMessage('document.notOoxml', { name, ext }),
    );
  }
  return kind;
}
