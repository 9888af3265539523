import { errorMessage } from '../../core/errors';
import { BackupError } from '../../ops/backup/backup-errors';
import type { BackupInfo, BackupProgress, SettingChange } from '../../ops/backup/backup-service';
import { openStandaloneBackups } from '../../ops/backup/standalone';
import type { CliCommand, CliIo } from '../cli-types';
import { UsageError } from '../cli-types';
import { parseCommandArgs } from '../parse-command-args';

const USAGE = `Usage:
  aeris backup create [--json] [--no-compress]   back up now (into <data dir>/backups)
  aeris backup list [--json]                     backups with size, date and counts
  aeris backup verify FILE [--json]              checksum, integrity check, schema check
  aeris backup restore FILE [--yes] [--accept-settings KEY,…]
                                                 replace the store (a safety backup is taken first);
                                                 without --yes, show what would change
  aeris backup export FILE DIR                   copy a backup to any folder (a USB drive)
  aeris backup import FILE                       verify a backup and copy it into backups/
  aeris backup prune [--days N]                  delete automatic backups older than N days (30)

FILE is a path, or a name from \`aeris backup list\`. Close the app before restoring.
list, verify and restore work even when the store itself is damaged and will not open: restore then
keeps the damaged file aside (aeris_agent.db.corrupt-…) instead of taking a safety backup.
sha256 is the checksum of the database inside: SHA-256 over the SHA-256 of each of its 8 MiB pieces
(backups from the first releases: a plain SHA-256). Backups since format 3 also carry a seal over the
whole file (settings and manifest too); \`verify\` recomputes both.
Settings that send data somewhere or identify you (the Ollama host, URLs, keys), and every setting of
a backup without a seal, are restored only when named in --accept-settings; otherwise they keep their
current values.
Exit code: 0 done, 1 refused or failed (the reason is printed), 2 usage.`;

/** What `--json` prints for a backup (the issue's shape, plus kind and schema). */
const jsonOf = (b: BackupInfo) => ({
  path: b.path,
  sizeBytes: b.sizeBytes,
  sha256: b.sha256,
  sessions: b.sessions,
  messages: b.messages,
  createdAt: b.createdAt,
  kind: b.kind,
  schemaVersion: b.schemaVersion,
});

const mb = (n: number) => (n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`);

function describe(b: BackupInfo): string {
  const range = b.firstMessageAt
    ? `${b.firstMessageAt.slice(0, 10)} … ${b.lastMessageAt?.slice(0, 10)}`
    : 'no messages';
  return [
    `  file      ${b.path}`,
    `  created   ${b.createdAt} (${b.kind}, AERIS-AQ ${b.appVersion}, schema ${b.schemaVersion})`,
    `  holds     ${b.sessions} sessions, ${b.messages} messages (${range})`,
    `  size      ${mb(b.sizeBytes)} ${b.compression === 'gzip' ? 'compressed' : 'uncompressed'}`,
    `  sha256    ${b.sha256}`,
  ].join('\n');
}

function progressPrinter(io: CliIo, enabled: boolean): ((p: BackupProgress) => void) | undefined {
  if (!enabled) return undefined;
  let last = '';
  return (p) => {
    const pct = p.total > 0 ? Math.floor((p.done / p.total) * 100) : 0;
    const text = `\r${p.phase.padEnd(9)} ${String(pct).padStart(3)}%`;
    if (text !== last) io.stderr(text);
    last = text;
    if (p.phase === 'finalize' && p.done === p.total) io.stderr('\r' + ' '.repeat(16) + '\r');
  };
}

/** Every setting a restore would change, and which need --accept-settings. */
function settingsText(changes: SettingChange[], trusted: boolean): string {
  if (changes.length === 0) return 'Settings: none would change.\n';
  const lines = changes.map(
    (c) =>
      `  ${c.needsConsent ? '!' : ' '} ${c.key}: ${JSON.stringify(c.current)} → ${JSON.stringify(c.backup)}${c.needsConsent ? '   (kept unless --accept-settings ' + c.key + ')' : ''}`,
  );
  const head = trusted
    ? 'Settings that would change:'
    : 'Settings that would change (this backup has no seal, so none is restored unless accepted):';
  return `${head}\n${lines.join('\n')}\n`;
}

function needFile(positionals: string[], what: string): string {
  const file = positionals[1];
  if (!file) throw new UsageError(`backup ${what} needs a FILE`);
  return file;
}

export const backupCommand: CliCommand = {
  name: 'backup',
  summary: 'Back up, list, verify and restore the chat history',
  usage: USAGE,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs({
      args: argv,
      options: {
        json: { type: 'boolean' },
        yes: { type: 'boolean', short: 'y' },
        'no-compress': { type: 'boolean' },
        days: { type: 'string' },
        'accept-settings': { type: 'string' },
      },
      allowPositionals: true,
    });
    const sub = positionals[0];
    const { io } = ctx;
    const out = (v: unknown) => io.stdout(JSON.stringify(v, null, 2) + '\n');
    const progress = progressPrinter(io, io.isTTY && !values.json);
    if (!sub) throw new UsageError('backup needs a subcommand');
    if (!['create', 'list', 'verify', 'restore', 'export', 'import', 'prune'].includes(sub)) {
      throw new UsageError(`unknown backup subcommand "${sub}"`);
    }
    const { backups, close } = openStandaloneBackups(ctx.globals.dataDir);
    try {
      switch (sub) {
        case 'create': {
          const b = await backups.create({ compress: !values['no-compress'], onProgress: progress });
          if (values.json) out(jsonOf(b));
          else io.stdout(`Backup created.\n${describe(b)}\n`);
          return 0;
        }
        case 'list': {
          const { backups: list, damaged } = await backups.list();
          if (values.json) {
            out(list.map(jsonOf));
            return 0;
          }
          if (list.length === 0) io.stdout(`No backups in ${backups.backupsDir}.\n`);
          for (const b of list) {
            io.stdout(
              `${b.createdAt.slice(0, 19).replace('T', ' ')}  ${b.kind.padEnd(9)}  ${mb(b.sizeBytes).padStart(10)}  ${String(b.sessions).padStart(5)} sessions  ${String(b.messages).padStart(7)} messages  ${b.name}\n`,
            );
          }
          for (const d of damaged) io.stdout(`damaged   ${d.name}: ${d.message}\n`);
          return 0;
        }
        case 'verify': {
          const report = await backups.verify(needFile(positionals, 'verify'), progress);
          if (values.json) out(report.ok ? { ok: true, ...jsonOf(report.info), checks: report.checks } : report);
          else if (report.ok) io.stdout(`OK  ${report.file}\n${report.checks.map((c) => `  ✓ ${c}`).join('\n')}\n`);
          else io.stderr(`NOT OK (${report.reason}): ${report.message}\n`);
          return report.ok ? 0 : 1;
        }
        case 'restore': {
          const file = needFile(positionals, 'restore');
          const preview = await backups.previewRestore(file);
          const accept = (values['accept-settings'] ?? '')
            .split(',')
            .map((k) => k.trim())
            .filter(Boolean);
          if (!values.yes) {
            io.stdout(`This backup would replace the current chat history:\n${describe(preview.backup)}\n`);
            io.stdout(settingsText(preview.settingsChanges, preview.settingsTrusted));
            io.stderr('Nothing changed. Run again with --yes to restore (a safety backup is taken first).\n');
            return 1;
          }
          const r = await backups.restore(file, { onProgress: progress, acceptSettings: accept });
          if (values.json) {
            out({
              restored: jsonOf(r.restored),
              safetyBackup: r.safetyBackup && jsonOf(r.safetyBackup),
              damagedStoreKeptAt: r.damagedStoreKeptAt,
              settingsApplied: r.settingsApplied,
              settingsKept: r.settingsKept,
            });
            return 0;
          }
          io.stdout(`Restored.\n${describe(r.restored)}\n`);
          if (r.safetyBackup) io.stdout(`The previous store was saved as ${r.safetyBackup.path}\n`);
          if (r.damagedStoreKeptAt) io.stdout(`The damaged store was kept aside as ${r.damagedStoreKeptAt}\n`);
          if (r.settingsApplied.length) io.stdout(`Settings restored: ${r.settingsApplied.join(', ')}\n`);
          if (r.settingsKept.length) {
            io.stdout(`Settings kept as they were (not accepted): ${r.settingsKept.join(', ')}\n`);
          }
          return 0;
        }
        case 'export': {
          const dir = positionals[2];
          if (!dir) throw new UsageError('backup export needs FILE and DIR');
          const dest = await backups.exportTo(needFile(positionals, 'export'), dir);
          if (values.json) out({ path: dest });
          else io.stdout(`Exported to ${dest}\n`);
          return 0;
        }
        case 'import': {
          const b = await backups.importFrom(needFile(positionals, 'import'));
          if (values.json) out(jsonOf(b));
          else io.stdout(`Imported.\n${describe(b)}\n`);
          return 0;
        }
        default: {
          const days = values.days === undefined ? undefined : Number(values.days);
          if (days !== undefined && !(days > 0)) throw new UsageError('--days must be a number greater than 0');
          const deleted = await backups.prune(days);
          if (values.json) out({ deleted });
          else io.stdout(deleted.length ? deleted.map((d) => `deleted ${d}\n`).join('') : 'Nothing to delete.\n');
          return 0;
        }
      }
    } catch (err) {
      if (err instanceof BackupError) {
        io.stderr(`error (${err.reason}): ${err.message}\n`);
        return 1;
      }
      if (err instanceof UsageError) throw err;
      io.stderr(`error: ${errorMessage(err)}\n`);
      return 1;
    } finally {
      close();
    }
  },
};
