import { engineMessage, type EngineText } from '../../../preload/shared/engine-messages';
import { AppError, type AppErrorCode } from '../../core/errors';

/**
 * Why a backup operation refused or failed. Stable strings: the dashboard and the CLI show them,
 * tests assert on them.
 */
type BackupFailure =
  | 'corrupt'
  | 'truncated'
  | 'foreign'
  | 'newer_schema'
  | 'disk_full'
  | 'busy'
  | 'in_use'
  | 'not_found'
  | 'failed'
  /** The live store itself is damaged: a backup of it was refused (restore a verified backup, or salvage). */
  | 'source_corrupt';

const CODE: Record<BackupFailure, AppErrorCode> = {
  corrupt: 'bad_request',
  truncated: 'bad_request',
  foreign: 'bad_request',
  newer_schema: 'bad_request',
  disk_full: 'internal',
  busy: 'conflict',
  in_use: 'conflict',
  not_found: 'not_found',
  failed: 'internal',
  source_corrupt: 'internal',
};

/** The refusal in the UI's language when a site gives no more precise message id (issue 15). */
function textOf(reason: BackupFailure, message: string): EngineText {
  switch (reason) {
    case 'corrupt':
      return engineMessage('backup.corrupt', {});
    case 'truncated':
      return engineMessage('backup.truncated', {});
    case 'foreign':
      return engineMessage('backup.foreign', {});
    case 'newer_schema':
      return engineMessage('backup.newerSchema', {});
    case 'disk_full':
      return engineMessage('backup.diskFull', {});
    case 'busy':
      return engineMessage('backup.busy', {});
    case 'in_use':
      return engineMessage('backup.inUse', {});
    case 'not_found':
      return engineMessage('backup.notFound', {});
    case 'source_corrupt':
      return engineMessage('backup.sourceCorrupt', {});
    case 'failed':
      return engineMessage('backup.failed', { error: message });
  }
}

/** An AppError whose `reason` says which refusal it was (also in `details.reason` for the HTTP/IPC shells). */
export class BackupError extends AppError {
  constructor(
    readonly reason: BackupFailure,
    message: string,
    details: Record<string, unknown> = {},
    text: EngineText = textOf(reason, message),
  ) {
    super(CODE[reason], message, { ...details, reason }, text);
    this.name = 'BackupError';
  }
}

/** SQLite says SQLITE_FULL, Node says ENOSPC (or EDQUOT for a quota): all three are "the disk is full". */
function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL';
}

/** Turns low-level failures into a BackupError a person can act on; BackupErrors pass through. */
export function asBackupError(err: unknown, doing: string): BackupError {
  if (err instanceof BackupError) return err;
  if (isDiskFull(err)) {
    return new BackupError(
      'disk_full',
      `The disk is full: ${doing} stopped and nothing was changed. Free some space (or choose another drive) and try again.`,
    );
  }
  const msg = err instanceof Error ? err.message : String(err);
  return new BackupError('failed', `${doing} failed: ${msg}`);
}
