import { create, type StoreApi } from 'zustand';
import type {
  AerisApi,
  BackupInfoDto,
  BackupPreviewDto,
  BackupProgressDto,
  DamagedBackupDto,
  DatabaseSizeDto,
  HardwareDto,
  HealthDetailDto,
  LogCursorDto,
  LogEntryDto,
  LogFileDto,
  LogLevelDto,
  MetricsSummaryDto,
  VerifyReportDto,
} from '../../../preload/contract';
import { errorText, getApi } from '../bridge';
import { readGeneration } from '../lib/read-generation';
import { diskSize, formatDateTime } from '../lib/format';
import { useApp, type AppState } from './app-store';
import { t } from '../i18n';

export type LogRange = '15m' | '1h' | '24h' | '7d' | 'all';
const LOG_RANGE_MS: Record<LogRange, number | null> = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  all: null,
};
/** The live tail keeps this many lines on screen; older ones scroll away. */
const LIVE_MAX = 1000;

interface LogFilter {
  file: LogFileDto;
  level: LogLevelDto | '';
  text: string;
  range: LogRange;
}

export interface BackupOp {
  op: BackupProgressDto['op'];
  fraction: number;
  phase: string;
  /** Set when the operation ended: kept on screen a moment so the person sees it finish. */
  doneText: string | null;
}

interface MaintenanceState {
  size: DatabaseSizeDto | null;
  busy: 'cleanup' | 'vacuum' | 'integrity' | 'checkpoint' | null;
  /** A dry run's answer, awaiting confirmation. */
  cleanupPreview: { days: number; sessions: number; cutoff: string } | null;
  result: { ok: boolean; text: string } | null;
}

interface DashboardState {
  health: HealthDetailDto | null;
  healthError: string | null;
  healthLoading: boolean;
  hardware: HardwareDto | null;
  hardwareError: string | null;
  hardwareLoading: boolean;
  metrics: MetricsSummaryDto | null;
  metricsError: string | null;
  metricsRange: '24h' | '30d';

  logFilter: LogFilter;
  logEntries: LogEntryDto[];
  logTruncated: boolean;
  logLoading: boolean;
  logError: string | null;
  live: boolean;
  logCursor: LogCursorDto | null;

  backups: BackupInfoDto[];
  damaged: DamagedBackupDto[];
  backupsFolder: string;
  backupsError: string | null;
  backupOp: BackupOp | null;
  /** Backup name → the check running on it or its last answer. */
  verifying: Record<string, 'running' | VerifyReportDto>;
  restorePreview: (BackupPreviewDto & { file: string }) | null;
  restoring: boolean;
  transferBusy: boolean;

  maintenance: MaintenanceState;

  init(): void;
  refreshHealth(): Promise<void>;
  refreshHardware(refresh?: boolean): Promise<void>;
  refreshMetrics(): Promise<void>;
  setMetricsRange(r: '24h' | '30d'): void;

  setLogFilter(patch: Partial<LogFilter>): void;
  queryLogs(): Promise<void>;
  setLive(on: boolean): Promise<void>;
  pollTail(): Promise<void>;

  refreshBackups(): Promise<void>;
  backupNow(): Promise<void>;
  verify(file: string): Promise<void>;
  askRestore(file: string | null): Promise<void>;
  /** Restores the previewed backup; `acceptSettings` names the consent-needing settings the person ticked. */
  restore(acceptSettings?: string[]): Promise<void>;
  exportBackup(file: string, folder: string): Promise<void>;
  importBackup(file: string): Promise<void>;
  deleteBackup(file: string): Promise<void>;

  refreshSize(): Promise<void>;
  previewCleanup(days: number): Promise<void>;
  cancelCleanup(): void;
  cleanup(): Promise<void>;
  vacuum(): Promise<void>;
  integrity(): Promise<void>;
  checkpoint(): Promise<void>;
}

interface DashboardStoreDeps {
  api(): AerisApi;
  /** The app store: notices, and the sessions list after a restore or cleanup. */
  app: Pick<StoreApi<AppState>, 'getState'>;
  now?: () => number;
  /** How long a finished backup operation's full bar stays on screen. */
  doneMs?: number;
}

/** The dashboard's store, built on its collaborators so tests can hand it a fake bridge. */
export function createDashboardStore(deps: DashboardStoreDeps) {
  const useApp = deps.app;
  const api = () => deps.api();
  const now = deps.now ?? Date.now;
  const notify = (kind: 'error' | 'info' | 'warning', text: string) => useApp.getState().notify(kind, text);
  let subscribed = false;
  // Only the newest read of each is applied: a slow older answer (taken before a filter change, or before a
  // backup was deleted) would otherwise replace a newer one and bring back what the user just saw go.
  const logReads = readGeneration();
  const backupReads = readGeneration();
  const healthReads = readGeneration();
  return create<DashboardState>((set, get) => {
    const setMaint = (patch: Partial<MaintenanceState>) =>
      set((s) => ({ maintenance: { ...s.maintenance, ...patch } }));
    const finishOp = (op: BackupOp['op'], doneText: string) => {
      set({ backupOp: { op, fraction: 1, phase: 'done', doneText } });
      // Keep the full bar a moment, then clear it unless another operation has started.
      setTimeout(() => {
        if (get().backupOp?.doneText === doneText) set({ backupOp: null });
      }, deps.doneMs ?? 5000);
    };
    const maintenanceRun = async <T>(
      busy: MaintenanceState['busy'],
      fn: () => Promise<T>,
      text: (r: T) => { ok: boolean; text: string },
    ) => {
      setMaint({ busy, result: null });
      try {
        const r = await fn();
        setMaint({ result: text(r) });
        void get().refreshSize();
      } catch (err) {
        setMaint({ result: { ok: false, text: errorText(err) } });
      } finally {
        setMaint({ busy: null });
      }
    };

    return {
      health: null,
      healthError: null,
      healthLoading: false,
      hardware: null,
      hardwareError: null,
      hardwareLoading: false,
      metrics: null,
      metricsError: null,
      metricsRange: '24h',

      logFilter: { file: 'app', level: '', text: '', range: '24h' },
      logEntries: [],
      logTruncated: false,
      logLoading: false,
      logError: null,
      live: false,
      logCursor: null,

      backups: [],
      damaged: [],
      backupsFolder: '',
      backupsError: null,
      backupOp: null,
      verifying: {},
      restorePreview: null,
      restoring: false,
      transferBusy: false,

      maintenance: { size: null, busy: null, cleanupPreview: null, result: null },

      init() {
        if (!subscribed) {
          subscribed = true;
          api().on('backups.progress', (p) => {
            const cur = get().backupOp;
            if (cur?.doneText) return;
            // Progress only moves forward within one operation (phases report their own totals).
            set({
              backupOp: {
                op: p.op,
                fraction: Math.max(p.fraction, cur?.op === p.op ? cur.fraction : 0),
                phase: p.phase,
                doneText: null,
              },
            });
          });
        }
        void get().refreshHealth();
        void get().refreshHardware();
        void get().refreshMetrics();
        void get().refreshBackups();
        void get().refreshSize();
        void get().queryLogs();
      },

      async refreshHealth() {
        const current = healthReads.begin();
        set({ healthLoading: true });
        try {
          const health = await api().call('health.detail', {});
          if (current()) set({ health, healthError: null });
        } catch (err) {
          if (current()) set({ healthError: errorText(err) });
        } finally {
          if (current()) set({ healthLoading: false });
        }
      },
      async refreshHardware(refresh = false) {
        set({ hardwareLoading: true });
        try {
          set({
            hardware: await api().call(refresh ? 'hardware.refresh' : 'hardware.detect', {}),
            hardwareError: null,
          });
        } catch (err) {
          set({ hardwareError: errorText(err) });
        } finally {
          set({ hardwareLoading: false });
        }
      },
      async refreshMetrics() {
        try {
          set({ metrics: await api().call('metrics.summary', {}), metricsError: null });
        } catch (err) {
          set({ metricsError: errorText(err) });
        }
      },
      setMetricsRange(r) {
        set({ metricsRange: r });
      },

      setLogFilter(patch) {
        set((s) => ({ logFilter: { ...s.logFilter, ...patch } }));
        void get().queryLogs();
      },
      async queryLogs() {
        const current = logReads.begin();
        const f = get().logFilter;
        const span = LOG_RANGE_MS[f.range];
        set({ logLoading: true });
        try {
          const r = await api().call('logs.query', {
            file: f.file,
            level: f.level || undefined,
            text: f.text.trim() || undefined,
            since: span === null ? undefined : now() - span,
            limit: 500,
          });
          if (!current()) return;
          set({ logEntries: r.entries, logTruncated: r.truncated, logError: null });
          // A live tail follows the new filter from here on.
          if (get().live) set({ logCursor: (await api().call('logs.tail', { file: f.file })).cursor });
        } catch (err) {
          if (current()) set({ logError: errorText(err) });
        } finally {
          if (current()) set({ logLoading: false });
        }
      },
      async setLive(on) {
        set({ live: on, logCursor: null });
        if (!on) return;
        try {
          const r = await api().call('logs.tail', { file: get().logFilter.file });
          set({ logCursor: r.cursor });
        } catch (err) {
          set({ logError: errorText(err), live: false });
        }
      },
      async pollTail() {
        const { live, logCursor, logFilter } = get();
        if (!live || !logCursor) return;
        try {
          const r = await api().call('logs.tail', {
            file: logFilter.file,
            level: logFilter.level || undefined,
            text: logFilter.text.trim() || undefined,
            cursor: logCursor,
          });
          if (!get().live || get().logFilter.file !== logFilter.file) return;
          set((s) => ({
            logCursor: r.cursor,
            logEntries: r.entries.length ? [...s.logEntries, ...r.entries].slice(-LIVE_MAX) : s.logEntries,
          }));
        } catch (err) {
          set({ logError: errorText(err) });
        }
      },

      async refreshBackups() {
        const current = backupReads.begin();
        try {
          const r = await api().call('backups.list', {});
          if (current()) set({ backups: r.backups, damaged: r.damaged, backupsFolder: r.folder, backupsError: null });
        } catch (err) {
          if (current()) set({ backupsError: errorText(err) });
        }
      },
      async backupNow() {
        set({ backupOp: { op: 'create', fraction: 0, phase: 'starting', doneText: null } });
        try {
          const info = await api().call('backups.create', {});
          finishOp(
            'create',
            t('dashboard.notices.backedUp', {
              conversations: t('backups.conversations', { count: info.sessions }),
              messages: t('backups.messages', { count: info.messages }),
            }),
          );
          await Promise.all([get().refreshBackups(), get().refreshHealth()]);
        } catch (err) {
          set({ backupOp: null });
          notify('error', errorText(err));
        }
      },
      async verify(file) {
        set((s) => ({ verifying: { ...s.verifying, [file]: 'running' } }));
        try {
          const r = await api().call('backups.verify', { file });
          set((s) => ({ verifying: { ...s.verifying, [file]: r } }));
        } catch (err) {
          set((s) => {
            const v = { ...s.verifying };
            delete v[file];
            return { verifying: v };
          });
          notify('error', errorText(err));
        }
      },
      async askRestore(file) {
        if (!file) {
          set({ restorePreview: null });
          return;
        }
        try {
          const p = await api().call('backups.preview', { file });
          set({ restorePreview: { ...p, file } });
        } catch (err) {
          notify('error', errorText(err));
        }
      },
      async restore(acceptSettings = []) {
        const p = get().restorePreview;
        if (!p) return;
        set({ restoring: true, backupOp: { op: 'restore', fraction: 0, phase: 'starting', doneText: null } });
        try {
          const r = await api().call('backups.restore', { file: p.file, confirm: true, acceptSettings });
          set({ restorePreview: null });
          finishOp(
            'restore',
            t('dashboard.notices.restored', {
              conversations: t('backups.conversations', { count: r.restored.sessions }),
            }),
          );
          notify('info', t('dashboard.notices.restoredFrom', { when: formatDateTime(r.restored.createdAt) }));
          await Promise.all([get().refreshBackups(), get().refreshHealth(), useApp.getState().refreshSessions()]);
        } catch (err) {
          set({ backupOp: null });
          notify('error', errorText(err));
        } finally {
          set({ restoring: false });
        }
      },
      async exportBackup(file, folder) {
        set({ transferBusy: true });
        try {
          const r = await api().call('backups.export', { file, folder });
          notify('info', t('dashboard.notices.exported', { path: r.path }));
        } catch (err) {
          notify('error', errorText(err));
        } finally {
          set({ transferBusy: false });
        }
      },
      async importBackup(file) {
        set({ transferBusy: true });
        try {
          const info = await api().call('backups.import', { file });
          notify(
            'info',
            t('dashboard.notices.imported', {
              name: info.name,
              conversations: t('backups.conversations', { count: info.sessions }),
            }),
          );
          await get().refreshBackups();
        } catch (err) {
          notify('error', errorText(err));
        } finally {
          set({ transferBusy: false });
        }
      },
      async deleteBackup(file) {
        try {
          await api().call('backups.delete', { file });
          await Promise.all([get().refreshBackups(), get().refreshHealth()]);
        } catch (err) {
          notify('error', errorText(err));
        }
      },

      async refreshSize() {
        try {
          setMaint({ size: await api().call('maintenance.size', {}) });
        } catch {
          // The size is a nicety; the buttons still work without it.
        }
      },
      async previewCleanup(days) {
        setMaint({ busy: 'cleanup', result: null });
        try {
          const r = await api().call('maintenance.cleanup', { days, dryRun: true });
          setMaint({ cleanupPreview: { days, sessions: r.sessions, cutoff: r.cutoff } });
        } catch (err) {
          setMaint({ result: { ok: false, text: errorText(err) } });
        } finally {
          setMaint({ busy: null });
        }
      },
      cancelCleanup() {
        setMaint({ cleanupPreview: null });
      },
      async cleanup() {
        const p = get().maintenance.cleanupPreview;
        if (!p) return;
        setMaint({ cleanupPreview: null });
        await maintenanceRun(
          'cleanup',
          () => api().call('maintenance.cleanup', { days: p.days }),
          (r) => ({
            ok: true,
            text: t('dashboard.notices.deleted', { count: r.deleted, days: p.days }),
          }),
        );
        void useApp.getState().refreshSessions();
      },
      vacuum: () =>
        maintenanceRun(
          'vacuum',
          () => api().call('maintenance.vacuum', {}),
          (r) => ({
            ok: true,
            text: t('dashboard.notices.compacted', {
              ms: r.ms,
              before: diskSize(r.beforeBytes),
              after: diskSize(r.afterBytes),
            }),
          }),
        ),
      integrity: () =>
        maintenanceRun(
          'integrity',
          () => api().call('maintenance.integrity', {}),
          (r) =>
            r.ok
              ? { ok: true, text: t('dashboard.notices.integrityOk') }
              : {
                  ok: false,
                  text: t('dashboard.notices.integrityBad', { problems: r.problems.slice(0, 3).join('; ') }),
                },
        ),
      checkpoint: () =>
        maintenanceRun(
          'checkpoint',
          () => api().call('maintenance.checkpoint', {}),
          (r) =>
            r.busy
              ? { ok: false, text: t('dashboard.notices.checkpointPartial') }
              : { ok: true, text: t('dashboard.notices.checkpointDone', { n: r.checkpointedFrames }) },
        ),
    };
  });
}

export const useDashboard = createDashboardStore({ api: getApi, app: useApp });
