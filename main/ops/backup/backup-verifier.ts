import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { engineMessage, type EngineText } from '../../../preload/shared/engine-messages';
import { SCHEMA_VERSION } from '../../store/migrations';
import { checkSeal, extractDatabase, openArchive, type OpenedArchive } from './archive-reader';
import { BackupError, asBackupError } from './backup-errors';
import { checkSpace, type BackupIo } from './backup-io';
import { infoOf, type BackupInfo, type BackupProgress, type VerifyReport } from './backup-types';
import { countFacts } from './backup-writer';
import { ownerTag } from './owner-tag';
import { checkSchema } from './schema-check';

/** Scratch dirs of a verify in backups/ start with this, then the owner (owner-tag.ts). */
export const VERIFY_PREFIX = '.verify-';

/**
 * Checks a backup in full, on a scratch copy: footer and manifest, the unpacked database's checksum, the
 * seal over the whole file (format 3), `PRAGMA integrity_check`, schema and counts. Needs no open store.
 */
export class BackupVerifier {
  constructor(
    private readonly io: BackupIo,
    private readonly backupsDir: string,
  ) {}

  /** Never throws for a bad file: the report says why. The scratch dir is removed whatever happens. */
  async verify(target: string, onProgress?: (p: BackupProgress) => void): Promise<VerifyReport> {
    fs.mkdirSync(this.backupsDir, { recursive: true });
    const scratchDir = fs.mkdtempSync(path.join(this.backupsDir, `${VERIFY_PREFIX}o${ownerTag()}-`));
    const checks: string[] = [];
    const checkTexts: EngineText[] = [];
    const passed = (english: string, text: EngineText) => {
      checks.push(english);
      checkTexts.push(text);
    };
    let info: BackupInfo | null = null;
    try {
      const archive = await this.checkInto(target, path.join(scratchDir, 'check.db'), passed, onProgress);
      info = infoOf(archive);
      return { ok: true, file: target, info, checks, checkTexts };
    } catch (err) {
      const e = asBackupError(err, 'Verifying the backup');
      if (!info) info = await openArchive(target).then(infoOf, () => null);
      return {
        ok: false,
        file: target,
        reason: e.reason,
        message: e.message,
        ...(e.text ? { text: e.text } : {}),
        info,
        checks,
        checkTexts,
      };
    } finally {
      fs.rmSync(scratchDir, { recursive: true, force: true });
    }
  }

  /**
   * Unpacks `file` to `scratch` and checks it; throws a BackupError saying why it is not restorable. Each
   * check that passed is told to `passed`, in English and as a message id (the Backups card's lines).
   */
  async checkInto(
    file: string,
    scratch: string,
    passed: (english: string, text: EngineText) => void,
    onProgress?: (p: BackupProgress) => void,
  ): Promise<OpenedArchive> {
    const archive = await openArchive(file);
    const m = archive.manifest;
    passed(
      `manifest: ${m.sessions} sessions, ${m.messages} messages, schema ${m.schemaVersion}, app ${m.appVersion}`,
      engineMessage('verify.manifest', {
        sessions: m.sessions,
        messages: m.messages,
        schema: m.schemaVersion,
        app: m.appVersion,
      }),
    );
    if (m.schemaVersion > SCHEMA_VERSION) {
      throw new BackupError(
        'newer_schema',
        `This backup is schema version ${m.schemaVersion}, newer than this app understands (${SCHEMA_VERSION}). Update AERIS-AQ to restore it.`,
      );
    }
    checkSpace(this.io, path.dirname(scratch), m.databaseBytes, 'Checking the backup');
    const { sha256, bytes, storedDigest } = await extractDatabase(archive, scratch, this.io, (done) =>
      onProgress?.({ phase: 'extract', done, total: m.databaseBytes }),
    );
    if (bytes !== m.databaseBytes || sha256 !== m.sha256) {
      throw new BackupError('corrupt', 'The backup is damaged: its checksum (sha256) does not match the manifest.');
    }
    passed(
      `checksum: sha256 ${sha256.slice(0, 16)}… matches`,
      engineMessage('verify.checksum', { digest: `${sha256.slice(0, 16)}…` }),
    );
    checkSeal(archive, storedDigest);
    if (archive.seal) {
      passed('seal: the whole file (database, settings, manifest) is as written', engineMessage('verify.sealOk', {}));
    } else {
      passed(
        'seal: none (a backup from before format 3): its settings are not trusted',
        engineMessage('verify.sealNone', {}),
      );
    }
    onProgress?.({ phase: 'verify', done: 0, total: 1 });
    let db: Database.Database | null = null;
    try {
      db = new Database(scratch, { fileMustExist: true });
      const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
      if (integrity.length !== 1 || integrity[0] !== 'ok') {
        throw new BackupError(
          'corrupt',
          `The backup’s database fails the integrity check: ${integrity.slice(0, 3).join('; ')}`,
        );
      }
      passed('integrity_check: ok', engineMessage('verify.integrity', {}));
      const schema = checkSchema(db);
      if (!schema.ok) throw new BackupError(schema.reason, schema.message);
      passed(
        `schema: version ${schema.version} matches this app’s migrations`,
        engineMessage('verify.schema', { version: schema.version }),
      );
      const facts = countFacts(db);
      if (facts.sessions !== m.sessions || facts.messages !== m.messages) {
        throw new BackupError('corrupt', 'The backup’s database does not hold what its manifest says.');
      }
      passed('counts: match the manifest', engineMessage('verify.counts', {}));
    } catch (err) {
      if (err instanceof BackupError) throw err;
      const code = (err as { code?: string }).code ?? '';
      if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
        throw new BackupError('corrupt', `The backup’s database is damaged (${(err as Error).message}).`);
      }
      throw err;
    } finally {
      db?.close();
    }
    onProgress?.({ phase: 'verify', done: 1, total: 1 });
    return archive;
  }
}
