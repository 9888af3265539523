import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import os from 'node:os';
import { engineMessage, ENGINE_MESSAGES } from '../preload/shared/engine-messages';
import { toCallError } from '../main/api/dispatch';
import { diskFullError } from '../main/core/disk-full';
import { DocumentError, detectKind } from '../main/documents/document-types';
import { asBackupError } from '../main/ops/backup/backup-errors';
import { openArchive } from '../main/ops/backup/archive-reader';

const root = path.resolve(__dirname, '..');

/**
 * Files whose user-facing errors were given message ids (issue 15): every `new AppError(` in them must pass
 * the fourth argument, `text`, so the UI can word it in French and Swahili. A file joins this list once it is
 * converted; the scan keeps it converted.
 */
const CONVERTED = [
  'main/ollama/ollama-errors.ts',
  'main/core/disk-full.ts',
  'main/ops/recovery/recovery-state.ts',
  'main/chat/session-limits.ts',
  'main/chat/chat-service.ts',
  'main/server/http-io.ts',
  'main/ollama/model-transfer.ts',
  'main/ollama/models-service.ts',
  'main/ollama/pull-manager.ts',
  'main/ollama/model-name.ts',
  'main/api/handlers/models-handlers.ts',
  'main/chat/conversations.ts',
  'main/imports/imports-service.ts',
  'main/imports/csv-reader.ts',
  'main/imports/naive-time.ts',
  'main/api/handlers/imports-handlers.ts',
  'main/server/imports-api.ts',
  'main/api/handlers/documents-handlers.ts',
  'main/providers/provider-errors.ts',
  'main/ops/recovery/recovery-service.ts',
  'main/airquality/my-location.ts',
  'main/settings/source-settings.ts',
  'main/ops/maintenance-service.ts',
  'main/api/dispatch.ts',
  'main/store/legacy-import.ts',
  'main/providers/provider-router.ts',
  'main/api/handlers/providers-handlers.ts',
  'main/server/upload-spool.ts',
  'main/server/legacy-import-api.ts',
  'main/server/http-server.ts',
  'main/api/serve-paths.ts',
  'main/api/handlers/core-handlers.ts',
  'main/api/handlers/ops-handlers.ts',
  'main/api/handlers/airquality-handlers.ts',
  'main/settings/settings-service.ts',
  'main/electron/safe-storage-secret-store.ts',
];

/** How many `new AppError(` in main/ pass a message id today (issue 15's first conversion). */
const MIN_SITES_WITH_ID = 119;

/** Sites in converted files that stay English on purpose (the original server's routes), by file and code. */
const ENGLISH_ONLY: Record<string, string[]> = {};

/**
 * AppErrors left in English on purpose, never in CONVERTED (no person meets them in the UI):
 * - main/server/seed/form-body.ts: the original server's form routes; its API clients expect its English.
 * - main/core/data-dir-lock.ts: raised at start-up, before any UI exists (the CLI and the log say it).
 * - main/electron/ipc.ts: an untrusted frame or a call name that is not a string, a programming error
 *   or an attack, never a person's doing (the preload always sends a string from its own page).
 */
const ENGLISH_FILES = ['main/server/seed/form-body.ts', 'main/core/data-dir-lock.ts', 'main/electron/ipc.ts'];

interface Site {
  file: string;
  line: number;
  code: string;
  hasText: boolean;
}

function appErrorSites(file: string): Site[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const sites: Site[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'AppError') {
      const args = node.arguments ?? [];
      const first = args[0];
      sites.push({
        file,
        line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
        code: first && ts.isStringLiteral(first) ? first.text : (first?.getText() ?? '?'),
        hasText: args.length >= 4,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

function productionFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!/^(test-support|fixtures|test-fixtures)$/.test(entry.name)) out.push(...productionFiles(rel));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !/test-kit/.test(entry.name)) {
      out.push(rel);
    }
  }
  return out;
}

describe('engine errors carry a message id for the UI language (issue 15)', () => {
  it('every AppError raised in a converted file passes its message id', () => {
    const missing = CONVERTED.flatMap(appErrorSites).filter(
      (s) => !s.hasText && !(ENGLISH_ONLY[s.file] ?? []).includes(s.code),
    );
    expect(missing.map((s) => `${s.file}:${s.line} (${s.code})`)).toEqual([]);
  });

  it('the converted list names real files with AppErrors in them', () => {
    for (const file of CONVERTED) expect(appErrorSites(file).length, file).toBeGreaterThan(0);
  });

  it('across main/, the AppErrors with a message id never drop below what was converted', () => {
    const all = productionFiles('main').flatMap(appErrorSites);
    const withText = all.filter((s) => s.hasText).length;
    // A ratchet: raise it as more of main/ is converted (the rest still reaches the UI in English).
    expect(withText).toBeGreaterThanOrEqual(MIN_SITES_WITH_ID);
    expect(all.length).toBeGreaterThanOrEqual(withText);
  });

  it('outside the files kept in English on purpose, every AppError in main/ passes its message id', () => {
    const missing = productionFiles('main')
      .flatMap(appErrorSites)
      .filter((s) => !s.hasText && !ENGLISH_FILES.includes(s.file));
    expect(missing.map((s) => `${s.file}:${s.line} (${s.code})`)).toEqual([]);
    for (const file of ENGLISH_FILES) expect(appErrorSites(file).length, file).toBeGreaterThan(0);
  });

  it('an id with the wrong parameters does not compile (checked by tsc over this file)', () => {
    // @ts-expect-error: error.ollamaUnavailable needs its host
    const missingParam = engineMessage('error.ollamaUnavailable', {});
    // @ts-expect-error: a byte count is a number, not words
    const wrongKind = engineMessage('fit.measured', { usedBytes: '5 GB' });
    // @ts-expect-error: not in the catalog
    const unknownId = engineMessage('error.noSuchThing', {});
    // @ts-expect-error: a parameter the message does not have
    const extraParam = engineMessage('error.messageEmpty', { why: 'x' });
    const right = engineMessage('error.ollamaUnavailable', { host: 'http://127.0.0.1:11434' });
    expect([missingParam, wrongKind, unknownId, extraParam].map((m) => m.id)).toEqual([
      'error.ollamaUnavailable',
      'fit.measured',
      'error.noSuchThing',
      'error.messageEmpty',
    ]);
    expect(right).toEqual({ id: 'error.ollamaUnavailable', params: { host: 'http://127.0.0.1:11434' } });
    expect(Object.keys(ENGINE_MESSAGES)).toContain(right.id);
  });
});

describe('what reaches the UI carries its id (errors, refusals of a file, backups)', () => {
  it('a call error keeps the id across the shells (toCallError)', () => {
    expect(toCallError(diskFullError('/data/aeris')).text).toEqual({
      id: 'error.diskFullAt',
      params: { dir: '/data/aeris' },
    });
    // A plain Error has no id: the UI shows its English.
    expect(toCallError(new Error('boom'))).toEqual({ code: 'internal', message: 'boom' });
  });

  it('a refused attachment names its file in the id', () => {
    const refused = (() => {
      try {
        detectKind('rapport-2019.xls', new Uint8Array(8));
      } catch (err) {
        return err;
      }
    })();
    expect(refused).toBeInstanceOf(DocumentError);
    expect((refused as DocumentError).text).toEqual({ id: 'document.oldExcel', params: { name: 'rapport-2019.xls' } });
  });

  it('a file that is not a backup is refused with the id of its reason', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aeris-ids-'));
    try {
      const file = path.join(dir, 'notes.aerisbak');
      fs.writeFileSync(file, 'These are meeting notes, not a backup.\n'.repeat(200));
      const err = await openArchive(file).then(
        () => null,
        (e: unknown) => asBackupError(e, 'Reading the backup'),
      );
      expect(err?.reason).toBe('foreign');
      expect(err?.text).toEqual({ id: 'backup.foreign', params: {} });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
