import { engineMessage } from '../../../preload/shared/engine-messages';
import type { BackupProgressDto, OPS_CALLS } from '../../../preload/contract';
import { AppError } from '../../core/errors';
import type { Engine } from '../../engine';
import { toGpuDto } from '../../hardware/gpu-dto';
import type { RecommendationReport } from '../../hardware/hardware-service';
import type { BackupProgress } from '../../ops/backup/backup-service';
import { readLogSince } from '../../ops/log-cursor';
import { readLogs } from '../../ops/log-reader';
import type { HandlersOf } from '../handler-types';
import { confinePath, type PathScope, type Shell } from '../serve-paths';

type Op = BackupProgressDto['op'];

/** Each phase's share of its operation's progress bar: [start, end] of 0…1. */
const PHASE_SPANS: Record<Op, Partial<Record<BackupProgress['phase'], [number, number]>>> = {
  create: { copy: [0, 0.55], compress: [0.55, 0.9], checksum: [0.55, 0.9], finalize: [0.9, 1] },
  verify: { extract: [0, 0.8], verify: [0.8, 1] },
  import: { extract: [0, 0.7], verify: [0.7, 0.8] },
  restore: { extract: [0, 0.4], verify: [0.4, 0.5], safety: [0.5, 0.9], swap: [0.9, 1] },
};

function progressFraction(op: Op, p: BackupProgress): number {
  const [a, b] = PHASE_SPANS[op][p.phase] ?? [0, 1];
  const inPhase = p.total > 0 ? Math.min(1, Math.max(0, p.done / p.total)) : 0;
  return Math.round((a + (b - a) * inPhase) * 1000) / 1000;
}

function hardwareDto(r: RecommendationReport) {
  const hw = r.hardware;
  return {
    platform: hw.platform,
    arch: hw.arch,
    gpus: hw.gpus.map(toGpuDto),
    ram: hw.ram,
    cpu: hw.cpu,
    disk: hw.disk,
    notes: r.notes,
    detectedAt: hw.detectedAt,
    numCtx: r.numCtx,
    recommended: r.recommended,
    recommendations: r.recommendations.slice(0, 5).map((x) => ({
      model: x.model,
      verdict: x.verdict,
      requiredBytes: x.requiredBytes,
      gpuFraction: x.gpuFraction,
      tools: x.tools,
      installed: x.installed,
      reason: x.reason,
      reasonText: x.reasonText,
    })),
    ollamaReachable: r.ollama.reachable,
  };
}

/** The dashboard's calls. Long backup operations report progress as `backups.progress` events. */
export function opsHandlers(engine: Engine, shell: Shell = 'electron'): HandlersOf<keyof typeof OPS_CALLS> {
  // Serve mode: paths only inside backups/ (and the export folder where a file is read or written there).
  const confine = (file: string, scope: PathScope, what: string) => confinePath(engine, shell, file, scope, what);
  const progress = (op: Op) => {
    let last = -1;
    return (p: BackupProgress) => {
      const fraction = progressFraction(op, p);
      // The copy reports every page; a bar needs no more than a few hundred updates.
      if (fraction !== 1 && fraction - last < 0.005) return;
      last = fraction;
      engine.events.emit('backups.progress', { op, phase: p.phase, done: p.done, total: p.total, fraction });
    };
  };
  return {
    'health.detail': async () => {
      const report = await engine.health.check();
      const s = engine.supervisor.status();
      return {
        ...report,
        dataDir: engine.paths.root,
        engine: { state: s.state, message: s.message, restarts: s.restarts, version: s.version },
      };
    },
    'metrics.summary': () => engine.metrics.summary(),

    'logs.query': async ({ file, level, text, since, until, limit }) => {
      const max = limit ?? 500;
      const records = await readLogs(engine.paths.logsDir, {
        file,
        level,
        grep: text || undefined,
        since,
        until,
        tail: max + 1,
      });
      return { entries: records.slice(-max), truncated: records.length > max };
    },
    'logs.tail': ({ file, level, text, cursor }) => {
      const r = readLogSince(engine.paths.logsDir, { file, level, grep: text || undefined }, cursor ?? null);
      return { entries: r.records, cursor: r.cursor };
    },

    'backups.create': async ({ compress }) => {
      const info = await engine.backups.create({ kind: 'manual', compress, onProgress: progress('create') });
      engine.health.backupChanged();
      return info;
    },
    'backups.list': async () => ({ ...(await engine.backups.list()), folder: engine.backups.backupsDir }),
    'backups.verify': ({ file }) =>
      engine.backups.verify(confine(file, 'backups-or-exports', 'verifying a backup'), progress('verify')),
    'backups.preview': async ({ file }) => {
      const { backup, settingsTrusted, settingsChanges } = await engine.backups.previewRestore(
        confine(file, 'backups-or-exports', 'previewing a backup'),
      );
      const blocker =
        engine.chat.activeCount > 0
          ? 'A reply is being written. Stop it or wait for it to finish, then restore.'
          : null;
      return { backup, current: engine.conversations.facts(), blocker, settingsTrusted, settingsChanges };
    },
    'backups.restore': async ({ file, confirm, acceptSettings }) => {
      if (confirm !== true) {
        throw new AppError(
          'bad_request',
          'A restore must be confirmed.',
          {},
          engineMessage('error.restoreNotConfirmed', {}),
        );
      }
      const result = await engine.backups.restore(confine(file, 'backups-or-exports', 'restoring a backup'), {
        onProgress: progress('restore'),
        acceptSettings: acceptSettings ?? [],
      });
      engine.health.backupChanged();
      return result;
    },
    'backups.export': async ({ file, folder }) => ({
      path: await engine.backups.exportTo(
        confine(file, 'backups', 'exporting a backup'),
        confine(folder, 'exports', 'exporting a backup'),
      ),
    }),
    'backups.import': async ({ file }) => {
      const info = await engine.backups.importFrom(confine(file, 'backups-or-exports', 'importing a backup'));
      engine.health.backupChanged();
      return info;
    },
    'backups.delete': async ({ file }) => {
      await engine.backups.delete(confine(file, 'backups', 'deleting a backup'));
      engine.health.backupChanged();
      return { deleted: true };
    },

    'maintenance.cleanup': ({ days, dryRun }) => {
      if (dryRun) {
        const cutoff = engine.clock.now() - days * 24 * 60 * 60 * 1000;
        const ids = engine.conversations.idleSince(cutoff);
        return { sessions: ids.length, deleted: 0, cutoff: new Date(cutoff).toISOString(), dryRun: true };
      }
      const r = engine.maintenance.cleanupSessions(days);
      return { sessions: r.deleted, deleted: r.deleted, cutoff: r.cutoff, dryRun: false };
    },
    'maintenance.vacuum': () => engine.maintenance.vacuum(),
    'maintenance.integrity': ({ quick }) => engine.maintenance.integrityCheck(quick ?? false),
    'maintenance.checkpoint': () => engine.maintenance.checkpoint(),
    'maintenance.size': () => engine.maintenance.databaseSize(),

    'hardware.detect': async () => hardwareDto(await engine.hardware.recommend()),
    'hardware.refresh': async () => hardwareDto(await engine.hardware.recommend({ refresh: true })),
  };
}
