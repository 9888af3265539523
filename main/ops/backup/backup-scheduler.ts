import type { Clock } from '../../core/clock';
import type { ComponentLogger } from '../logger';
import { intervalSchedule, type Schedule } from '../../core/ticker';
import { DAY_MS } from '../time-stamps';
import type { BackupInfo, BackupService } from './backup-service';

interface BackupSchedulerDeps {
  backups: BackupService;
  clock: Clock;
  logger?: ComponentLogger;
  schedule?: Schedule;
  /** A backup is due when the newest one is this old. Default one day. */
  intervalMs?: number;
  /** How often to look. Default hourly, so a laptop asleep at 2 am catches up when it wakes. */
  checkEveryMs?: number;
  /** A due backup waits while a reply is streaming (it would still work, but a restore point mid-reply is odd). */
  isBusy?: () => boolean;
  /**
   * The first look waits this long after start (default 0). A first start would otherwise compress the whole
   * store right after listening, competing with the first requests; an hour's check catches it up anyway.
   */
  firstCheckDelayMs?: number;
}

type ScheduledRun =
  | { ran: true; backup: BackupInfo; pruned: string[] }
  | { ran: false; why: 'not_due' | 'busy' | 'failed'; error?: string };

/** Daily backups with retention: checks on start and every hour; when one is due, backs up then prunes. */
export class BackupScheduler {
  private stopTimer: (() => void) | null = null;
  private firstTimer: NodeJS.Timeout | null = null;
  private inFlight: Promise<ScheduledRun> | null = null;

  constructor(private readonly deps: BackupSchedulerDeps) {}

  start(): () => void {
    this.deps.backups.cleanupStale();
    const delay = this.deps.firstCheckDelayMs ?? 0;
    if (delay > 0) {
      this.firstTimer ??= setTimeout(() => {
        this.firstTimer = null;
        void this.runIfDue();
      }, delay);
      this.firstTimer.unref();
    } else void this.runIfDue();
    this.stopTimer ??= (this.deps.schedule ?? intervalSchedule)(
      () => void this.runIfDue(),
      this.deps.checkEveryMs ?? 60 * 60_000,
    );
    return () => this.stop();
  }

  stop(): void {
    if (this.firstTimer) clearTimeout(this.firstTimer);
    this.firstTimer = null;
    this.stopTimer?.();
    this.stopTimer = null;
  }

  runIfDue(): Promise<ScheduledRun> {
    this.inFlight ??= this.run().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async run(): Promise<ScheduledRun> {
    const { backups, clock, logger } = this.deps;
    try {
      // Safety backups are not a reason to skip the daily one: they hold the state before a restore.
      const newest = (await backups.list()).backups.find((b) => b.kind !== 'safety');
      const due = !newest || clock.now() - Date.parse(newest.createdAt) >= (this.deps.intervalMs ?? DAY_MS);
      if (!due) return { ran: false, why: 'not_due' };
      if (this.deps.isBusy?.()) return { ran: false, why: 'busy' };
      const backup = await backups.create({ kind: 'scheduled' });
      const pruned = await backups.prune();
      return { ran: true, backup, pruned };
    } catch (err) {
      logger?.error('scheduled backup failed', { error: String(err) });
      return { ran: false, why: 'failed', error: String(err) };
    }
  }
}
