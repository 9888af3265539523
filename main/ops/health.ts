import fs from 'node:fs';
import type { Clock } from '../core/clock';
import type { DiskFullState } from '../core/disk-full';
import { engineMessage, type EngineText } from '../../preload/shared/engine-messages';
import { errorMessage } from '../core/errors';
import { createTtlCache } from '../core/ttl-cache';
import { APP_VERSION } from '../core/version';
import type { SourceStatus } from '../airquality/air-quality-service';
import type { EngineStatus } from '../ollama/ollama-supervisor';
import type { OllamaGateway } from '../ollama/ollama-gateway';
import type { Store } from '../store/store';
import { ALERT_THRESHOLDS, type MetricAlert } from './metrics/metrics-service';
import { DAY_MS } from './time-stamps';

type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';
type CheckStatus = 'ok' | 'warn' | 'fail';
export type HealthCheckId =
  'store' | 'ollama' | 'cache' | 'sources' | 'disk' | 'backup' | 'errors' | 'latency' | 'provider';

/** One line of the health model: a light and the reason in words. */
interface HealthCheck {
  id: HealthCheckId;
  label: string;
  status: CheckStatus;
  reason: string;
  /** The reason as message ids (joined with a space) for the UI's language; absent where only English exists. */
  reasonText?: EngineText[];
}

interface HealthReport {
  status: HealthStatus;
  database: string;
  cache: string;
  ollama: string;
  ollama_host: string;
  version: string;
  timestamp: string;
  /** Every check, in a fixed order; the fields above stay as the seed's `/health` had them. */
  checks: HealthCheck[];
  /** Present only in recovery mode: the store is damaged, and why (in words). */
  recovery?: { damage: string; reason: string; since: string };
}

type StatFs = (
  dir: string,
) => Promise<{ bavail: number | bigint; bfree: number | bigint; blocks: number | bigint; bsize: number | bigint }>;

export interface HealthDeps {
  store: Store;
  ollama: OllamaGateway;
  clock: Clock;
  /** The Ollama supervisor's state, so "unreachable" can say why (crashed, not installed, starting). */
  supervisor?: () => EngineStatus;
  /** Data sources and their circuit breakers. */
  sources?: () => SourceStatus[];
  /** The data dir, whose volume must keep room for the store, logs and backups. */
  dataDir?: string;
  statfs?: StatFs;
  /** Writes that failed for lack of space: the disk check fails while one is recent. */
  disk?: DiskFullState;
  /** The newest good backup (only its date and counts are read). */
  lastBackup?: () => Promise<{ createdAt: string; sessions: number; messages: number } | null>;
  /** The metrics' request alerts (error rate, p95). */
  alerts?: () => MetricAlert[];
  /** A backup older than this is a warning (default 2 days: the daily backup missed at least once). */
  backupMaxAgeMs?: number;
  /** Recovery mode (the store is damaged): the store check fails with this reason. */
  recovery?: () => { damage: string; reason: string; since: number } | null;
  /**
   * The default model provider when it is not Ollama (an OpenAI-compatible server, Gemini): its check, which
   * then stands where Ollama's did for the top-level status. Null when chats go to Ollama.
   */
  provider?: () => Promise<{ id: string; ok: boolean; detail: string; text?: EngineText } | null>;
}

const statfsNow: StatFs = (dir) => Promise.resolve(fs.statfsSync(dir));

const GB = 1024 ** 3;
const MB = 1024 ** 2;
/** Below this the store, logs and backups start failing to write. */
const DISK_FAIL_BYTES = 200 * MB;
const DISK_WARN_BYTES = 2 * GB;
const DISK_WARN_FRACTION = 0.1;
/** A failed write keeps the disk check red this long even when space shows up meanwhile (until a write succeeds). */
const DISK_FAILURE_MEMORY_MS = 60_000;
/** Megabytes with a decimal when small: "0.1 MB free" says more than "0 MB free". */
const mb = (n: number) => `${n < 10 * MB ? (Math.ceil((n / MB) * 10) / 10).toFixed(1) : Math.ceil(n / MB)} MB`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const size = (n: number) => (n >= GB ? `${(n / GB).toFixed(1)} GB` : `${Math.round(n / MB)} MB`);

function ago(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m < 2) return 'just now';
  if (m < 120) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

const LABELS: Record<HealthCheckId, string> = {
  store: 'Chat history (SQLite)',
  ollama: 'Ollama',
  cache: 'Cache',
  sources: 'Air-quality sources',
  disk: 'Free disk',
  backup: 'Last backup',
  errors: 'Error rate',
  latency: 'Response time',
  provider: 'Model provider',
};

/**
 * The app's one health model. Top level as the seed's `/health`: healthy only when the store and Ollama
 * both answer; degraded when chat history works but Ollama (or the cache) does not; unhealthy when the
 * store is gone. `checks` adds the rest a person needs: data sources, disk, backups, error rate, latency.
 * Warnings in `checks` never change the top-level status, so scripts that watch it keep their meaning; a
 * full disk (the disk check failing) makes it degraded, as nothing new can be saved.
 */
export class HealthService {
  private readonly probeCache: ReturnType<typeof createTtlCache<string>>;
  private backupCache: { at: number; value: Awaited<ReturnType<NonNullable<HealthDeps['lastBackup']>>> } | null = null;

  constructor(private readonly deps: HealthDeps) {
    this.probeCache = createTtlCache<string>(deps.clock, 4);
  }

  /** Forget the cached last backup (after a backup or restore, so the card turns green at once). */
  backupChanged(): void {
    this.backupCache = null;
  }

  async check(): Promise<HealthReport> {
    const { ollama, clock } = this.deps;
    const [store, cache, oll, sources, disk, backup, provider] = await Promise.all([
      this.guard('store', () => this.checkStore()),
      this.guard('cache', () => this.checkCache()),
      this.guard('ollama', () => this.checkOllama()),
      this.guard('sources', () => this.checkSources()),
      this.guard('disk', () => this.checkDisk()),
      this.guard('backup', () => this.checkBackup()),
      this.guard('provider', () => this.checkProvider()),
    ]);
    // Chats go to another provider: an absent Ollama is worth a warning, not a failure.
    const ollCheck =
      provider.check && oll.check?.status === 'fail'
        ? {
            ...oll.check,
            status: 'warn' as const,
            reason: `${oll.check.reason} (Chats use ${provider.check.reason.split(':')[0]}.)`,
            ...(oll.check.reasonText
              ? {
                  reasonText: [
                    ...oll.check.reasonText,
                    engineMessage('health.chatsUseOther', { provider: provider.check.reason.split(':')[0] ?? '' }),
                  ],
                }
              : {}),
          }
        : oll.check;
    const checks = [
      store.check,
      ollCheck,
      cache.check,
      sources.check,
      disk.check,
      backup.check,
      provider.check,
      ...this.alertChecks(),
    ].filter((c): c is HealthCheck => c !== null);
    const dbOk = store.check?.status !== 'fail';
    // Chats answered by another provider need it, not Ollama, to be healthy.
    const ollamaOk = provider.check ? provider.check.status === 'ok' : oll.legacy.startsWith('connected');
    // A full disk leaves history readable but nothing new can be saved: degraded, not unhealthy.
    const diskFull = disk.check?.id === 'disk' && disk.check.status === 'fail';
    const status: HealthStatus = !dbOk
      ? 'unhealthy'
      : ollamaOk && cache.legacy === 'operational' && !diskFull
        ? 'healthy'
        : 'degraded';
    return {
      status,
      database: store.legacy,
      cache: cache.legacy,
      ollama: oll.legacy,
      ollama_host: ollama.host,
      version: APP_VERSION,
      timestamp: new Date(clock.now()).toISOString(),
      checks,
      ...this.recoveryField(),
    };
  }

  /** A check that throws is a warning saying so, never a crashed health endpoint. */
  private async guard(
    id: HealthCheckId,
    fn: () => Promise<{ check: HealthCheck | null; legacy: string }> | { check: HealthCheck | null; legacy: string },
  ): Promise<{ check: HealthCheck | null; legacy: string }> {
    try {
      return await fn();
    } catch (err) {
      return {
        check: this.make(id, 'warn', `Could not be checked: ${errorMessage(err)}`, [
          engineMessage('health.checkFailed', { error: errorMessage(err) }),
        ]),
        legacy: `error: ${errorMessage(err)}`,
      };
    }
  }

  private make(id: HealthCheckId, status: CheckStatus, reason: string, text?: EngineText[]): HealthCheck {
    return { id, label: LABELS[id], status, reason, ...(text ? { reasonText: text } : {}) };
  }

  private recoveryField(): Pick<HealthReport, 'recovery'> {
    const r = this.deps.recovery?.();
    return r ? { recovery: { damage: r.damage, reason: r.reason, since: new Date(r.since).toISOString() } } : {};
  }

  private checkStore() {
    const { store } = this.deps;
    const damaged = this.deps.recovery?.();
    if (damaged) {
      return {
        check: this.make('store', 'fail', `Recovery mode: ${damaged.reason} Restore a backup or salvage the store.`, [
          engineMessage('health.storeRecovery', { reason: damaged.reason }),
        ]),
        legacy: `error: ${damaged.reason}`,
      };
    }
    try {
      store.ping();
      const row = store.db
        // Kept by triggers (migration 7): counting a million rows on every poll took 80-300 ms.
        .prepare(
          `SELECT (SELECT n FROM row_counts WHERE name = 'sessions') AS s, (SELECT n FROM row_counts WHERE name = 'messages') AS m`,
        )
        .get() as {
        s: number;
        m: number;
      };
      return {
        check: this.make('store', 'ok', `Open; ${plural(row.s, 'conversation')}, ${plural(row.m, 'message')}.`, [
          // Two sentences' halves, so each count picks its own plural ("1 conversation, 2 messages").
          engineMessage('health.storeOk', { count: row.s }),
          engineMessage('health.storeMessages', { count: row.m }),
        ]),
        legacy: 'connected',
      };
    } catch (err) {
      return {
        check: this.make('store', 'fail', `The database does not answer: ${errorMessage(err)}`, [
          engineMessage('health.storeFail', { error: errorMessage(err) }),
        ]),
        legacy: `error: ${errorMessage(err)}`,
      };
    }
  }

  private checkCache() {
    let legacy = 'operational';
    let text = engineMessage('health.cacheOk', {});
    try {
      const key = `probe-${this.deps.clock.now()}`;
      this.probeCache.set(key, 'ok', { ttl: 1000 });
      if (this.probeCache.get(key) !== 'ok') {
        legacy = 'error: cache did not return what was stored';
        text = engineMessage('health.cacheWrong', {});
      }
    } catch (err) {
      legacy = `error: ${errorMessage(err)}`;
      text = engineMessage('health.cacheFail', { error: errorMessage(err) });
    }
    return {
      check:
        legacy === 'operational'
          ? this.make('cache', 'ok', 'Answers what was stored.', [text])
          : this.make('cache', 'fail', legacy.replace(/^error: /, ''), [text]),
      legacy,
    };
  }

  private async checkProvider() {
    const p = await this.deps.provider?.();
    if (!p) return { check: null, legacy: '' };
    return {
      check: this.make(
        'provider',
        p.ok ? 'ok' : 'fail',
        `${p.id}: ${p.detail}`,
        // The provider's own sentence names it; a detail without an id is still worded around it.
        [p.text ?? engineMessage('health.providerDetail', { provider: p.id, detail: p.detail })],
      ),
      legacy: p.ok ? 'ok' : p.detail,
    };
  }

  private async checkOllama() {
    const { ollama, supervisor } = this.deps;
    const engine = supervisor?.();
    try {
      const version = await ollama.version();
      const how =
        engine?.state === 'running'
          ? ', started and watched by AERIS-AQ'
          : engine?.state === 'external'
            ? ', already running on this machine'
            : '';
      const restarts =
        engine && engine.restarts > 0
          ? ` Restarted ${engine.restarts} time${engine.restarts === 1 ? '' : 's'} after crashes.`
          : '';
      const at = { version, host: ollama.host };
      const texts: EngineText[] = [
        engine?.state === 'running'
          ? engineMessage('health.ollamaOkStarted', at)
          : engine?.state === 'external'
            ? engineMessage('health.ollamaOkExternal', at)
            : engineMessage('health.ollamaOk', at),
      ];
      if (engine && engine.restarts > 0)
        texts.push(engineMessage('health.ollamaRestarted', { count: engine.restarts }));
      return {
        check: this.make(
          'ollama',
          restarts ? 'warn' : 'ok',
          `Ollama ${version} at ${ollama.host}${how}.${restarts}`,
          texts,
        ),
        legacy: `connected (${version})`,
      };
    } catch (err) {
      const legacy = `unreachable: ${errorMessage(err)}`;
      if (engine?.state === 'starting') {
        return {
          check: this.make('ollama', 'warn', `Ollama is starting at ${engine.host}…`, [
            engineMessage('health.ollamaStarting', { host: engine.host }),
          ]),
          legacy,
        };
      }
      const why =
        engine?.message ??
        `Cannot reach Ollama at ${ollama.host} (${errorMessage(err)}). Chat needs it; history still works.`;
      // The supervisor's words (crashed, not installed) with their id; without one, English only.
      const text = engine?.message
        ? engine.messageText
          ? [engine.messageText]
          : undefined
        : [engineMessage('health.ollamaUnreachable', { host: ollama.host, error: errorMessage(err) })];
      return { check: this.make('ollama', 'fail', why, text), legacy };
    }
  }

  private checkSources() {
    const list = this.deps.sources?.();
    if (!list) return { check: null, legacy: '' };
    const now = this.deps.clock.now();
    const configured = list.filter((s) => s.configured);
    const paused = configured.filter((s) => s.breaker.state !== 'closed');
    const missing = list.filter((s) => !s.configured).map((s) => s.name);
    const noKey = missing.length ? ` No API key for ${missing.join(', ')}.` : '';
    const noKeyText = missing.length ? [engineMessage('health.sourcesNoKey', { names: missing.join(', ') })] : [];
    if (configured.length === 0) {
      return {
        check: this.make(
          'sources',
          'warn',
          `No data source is set up; answers come from the offline cache only.${noKey}`,
          [engineMessage('health.sourcesNone', {}), ...noKeyText],
        ),
        legacy: '',
      };
    }
    if (paused.length === 0) {
      return {
        check: this.make('sources', 'ok', `${configured.map((s) => s.name).join(', ')} answering.${noKey}`, [
          engineMessage('health.sourcesOk', { names: configured.map((s) => s.name).join(', ') }),
          ...noKeyText,
        ]),
        legacy: '',
      };
    }
    const texts = paused.map((s): EngineText => {
      const b = s.breaker;
      const p = { name: s.name, failures: b.consecutiveFailures, error: b.lastError ? ` (${b.lastError})` : '' };
      if (b.state === 'half_open') return engineMessage('health.sourceRetrying', p);
      return b.retryAt
        ? engineMessage('health.sourcePausedRetry', {
            ...p,
            minutes: Math.max(1, Math.ceil((b.retryAt - now) / 60_000)),
          })
        : engineMessage('health.sourcePaused', p);
    });
    const words = paused.map((s) => {
      const b = s.breaker;
      const err = b.lastError ? ` (${b.lastError})` : '';
      if (b.state === 'half_open')
        return `${s.name} is being tried again after ${b.consecutiveFailures} failures${err}`;
      const retry = b.retryAt ? `, next try in ${Math.max(1, Math.ceil((b.retryAt - now) / 60_000))} min` : '';
      return `${s.name} paused after ${b.consecutiveFailures} failures in a row${err}${retry}`;
    });
    const all = paused.length === configured.length;
    return {
      check: this.make(
        'sources',
        'warn',
        `${words.join('; ')}. ${all ? 'Answers come from the cache meanwhile.' : 'The other sources still answer.'}`,
        [...texts, engineMessage(all ? 'health.sourcesCacheMeanwhile' : 'health.sourcesOthersAnswer', {})],
      ),
      legacy: '',
    };
  }

  private async checkDisk() {
    const dir = this.deps.dataDir;
    if (!dir) return { check: null, legacy: '' };
    // Read synchronously: one statfs of the volume the store is read from synchronously anyway, where the async
    // form made the first /health after start wait ~3-6 ms for node's thread pool to start.
    const st = await (this.deps.statfs ?? statfsNow)(dir);
    const bsize = Number(st.bsize);
    const free = Number(st.bavail) * bsize;
    const total = Number(st.blocks) * bsize;
    const usedBlocks = Number(st.blocks) - Number(st.bfree);
    // As `df` counts it: blocks reserved for root are neither used nor available to us.
    const usedFraction = usedBlocks / Math.max(1, usedBlocks + Number(st.bavail));
    const freeFraction = total > 0 ? free / total : 0;
    const facts = `${size(free)} free of ${size(total)} (${Math.round(usedFraction * 100)} % used)`;
    const figures = { freeBytes: free, totalBytes: total, usedPercent: Math.round(usedFraction * 100) };
    // A small disk (a USB stick, a test's tmpfs) is full well before 200 MB are left to use.
    const minFree = Math.min(DISK_FAIL_BYTES, total * DISK_WARN_FRACTION);
    const failure = this.deps.disk?.lastFailure ?? null;
    const recentFailure =
      failure !== null && (free < minFree || this.deps.clock.now() - failure.at < DISK_FAILURE_MEMORY_MS);
    if (free < minFree || recentFailure) {
      const need = Math.max(MB, minFree - free);
      const failed = failure ? ` Saving the ${failure.what} failed ${ago(this.deps.clock.now() - failure.at)}.` : '';
      const full = recentFailure || free < minFree / 4;
      const texts: EngineText[] = [
        engineMessage(full ? 'health.diskFull' : 'health.diskAlmostFull', { freeBytes: free, dir, needBytes: need }),
        ...(failure ? [engineMessage('health.diskSaveFailed', { what: failure.what, at: failure.at })] : []),
        engineMessage('health.diskFullAfter', {}),
      ];
      return {
        check: this.make(
          'disk',
          'fail',
          `${full ? 'Disk full' : 'Disk almost full'}: ${mb(free)} free on ${dir}; ` +
            `free at least ${mb(need)}.${failed} Saving chats, logs and backups will start failing until then; ` +
            'everything saved before is kept.',
          texts,
        ),
        legacy: '',
      };
    }
    if (free < DISK_WARN_BYTES || freeFraction < DISK_WARN_FRACTION) {
      return {
        check: this.make('disk', 'warn', `${facts}: under 2 GB or 10 % free; backups may not fit.`, [
          engineMessage('health.diskLow', figures),
        ]),
        legacy: '',
      };
    }
    if (usedFraction > ALERT_THRESHOLDS.diskUsage) {
      return {
        check: this.make('disk', 'warn', `${facts}: over the 80 % usage alert threshold.`, [
          engineMessage('health.diskOverThreshold', figures),
        ]),
        legacy: '',
      };
    }
    return { check: this.make('disk', 'ok', `${facts}.`, [engineMessage('health.diskOk', figures)]), legacy: '' };
  }

  private async checkBackup() {
    const { lastBackup, clock } = this.deps;
    if (!lastBackup) return { check: null, legacy: '' };
    const now = clock.now();
    if (!this.backupCache || now - this.backupCache.at > 60_000) {
      const value = await lastBackup();
      // "None yet" is not kept: the first scheduled backup must turn the light green without waiting.
      this.backupCache = value ? { at: now, value } : null;
    }
    const b = this.backupCache?.value ?? null;
    if (!b) {
      return {
        check: this.make('backup', 'warn', 'No backup yet. Back up now (the app also backs up daily while it runs).', [
          engineMessage('health.backupNone', {}),
        ]),
        legacy: '',
      };
    }
    const age = now - Date.parse(b.createdAt);
    const facts = `${ago(age)}, ${plural(b.sessions, 'conversation')}, ${plural(b.messages, 'message')}`;
    // "Last backup 5 min ago, 1 conversation," then "2 messages." (each count with its own plural).
    const backed = engineMessage('health.backupOk', { at: Date.parse(b.createdAt), count: b.sessions });
    if (age > (this.deps.backupMaxAgeMs ?? 2 * DAY_MS)) {
      return {
        check: this.make('backup', 'warn', `Last backup ${facts}: older than 2 days. Back up now.`, [
          backed,
          engineMessage('health.backupMessagesOld', { count: b.messages }),
        ]),
        legacy: '',
      };
    }
    return {
      check: this.make('backup', 'ok', `Last backup ${facts}.`, [
        backed,
        engineMessage('health.storeMessages', { count: b.messages }),
      ]),
      legacy: '',
    };
  }

  private alertChecks(): HealthCheck[] {
    const alerts = this.deps.alerts?.();
    if (!alerts) return [];
    return alerts.map((a) =>
      this.make(
        a.id === 'error_rate' ? 'errors' : 'latency',
        a.firing ? (a.severity === 'critical' ? 'fail' : 'warn') : 'ok',
        a.message,
        a.text ? [a.text] : undefined,
      ),
    );
  }
}
