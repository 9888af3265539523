import os from 'node:os';
import path from 'node:path';
import { EventBus } from './core/event-bus';
import { systemClock, type Clock } from './core/clock';
import { dataPaths, ensureDataDirs, type DataPaths } from './core/paths';
import { ChatService } from './chat/chat-service';
import { Conversations } from './chat/conversations';
import { SearchReader } from './store/search-reader';
import { ModelCapabilities } from './agent/model-capabilities';
import { onlineCheck } from './providers/online-state';
import { createProviderRouter, type ConfiguredProviders } from './providers/provider-config';
import type { ChatEvent } from './chat/chat-events';
import { sessionLimitFromEnv } from './chat/session-limits';
import { FileLogger, type Logger } from './ops/logger';
import { HealthService } from './ops/health';
import { createMetrics, type MetricsService } from './ops/metrics';
import type { BackupProgressDto } from '../preload/contract/ops';
import { createHardwareService, type HardwareService } from './hardware/hardware-service';
import { MeasuredFitStore } from './hardware/measured-fits';
import { AirQualityService } from './airquality/air-quality-service';
import { ImportsService, type ImportProgress } from './imports/imports-service';
import { DocumentsService } from './documents/documents-service';
import { OllamaEmbedder } from './documents/ollama-embedder';
import type { SavedSourceSettings } from './airquality/sources/source-config';
import { createAirQualityTools, type ToolRegistry } from './agent/tools';
import { DEFAULT_OLLAMA_HOST, normalizeOllamaHost } from './core/ollama-host';
import { OllamaSupervisor, type EngineStatus } from './ollama/ollama-supervisor';
import { createModelServices, type ModelServices } from './ollama/model-services';
import { defaultModelsDir } from './ollama/disk-space';
import type { PullSnapshot } from './ollama/pull-manager';
import { loadModelCatalog } from './hardware/model-catalog';
import { probeFetch } from './ollama/probe-fetch';
import { OllamaGateway } from './ollama/ollama-gateway';
import { SettingsService } from './settings/settings-service';
import { FileSecretStore, type SecretStore } from './settings/secret-store';
import { SourceSettingsService } from './settings/source-settings';
import type { Store } from './store/store';
import { DiskFullState } from './core/disk-full';
import { StoreHost } from './store/store-host';
import { BackupService } from './ops/backup/backup-service';
import { recoverInterruptedRestore } from './ops/backup/restore-journal';
import { BackupScheduler } from './ops/backup/backup-scheduler';
import { LogRotator, rotationFromEnv } from './ops/log-rotator';
import { MaintenanceService, cleanupDaysFromEnv } from './ops/maintenance-service';
import { SettingsPatchSchema } from './settings/settings-service';
import { RecoveryState } from './ops/recovery/recovery-state';
import { RecoverableStore, START_QUICK_CHECK_MAX_BYTES } from './ops/recovery/recoverable-store';
import { RecoveryService } from './ops/recovery/recovery-service';
import { recoveryBackupsFrom } from './ops/recovery/recovery-backups';
import { StoreWatch } from './store/store-watch';
import fs from 'node:fs';

export interface EngineEvents {
  'chat.event': ChatEvent;
  'settings.changed': { ollamaHost: string };
  'ollama.engine': EngineStatus;
  'models.pull': PullSnapshot;
  'imports.progress': ImportProgress;
  'backups.progress': BackupProgressDto;
}

interface EngineOptions {
  dataDir: string;
  /** `--ollama-host`; beats OLLAMA_HOST, which beats the saved setting. */
  ollamaHost?: string;
  clock?: Clock;
  fetch?: typeof fetch;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Data-source URLs and keys as saved by the shell (Electron decrypts keys with safeStorage). */
  sourceSettings?: () => SavedSourceSettings;
  /** Where the data-source URLs and keys are saved: safeStorage in Electron, else `secrets.json` (0600). */
  secretStore?: SecretStore;
  /** Electron's process.resourcesPath, where a bundled Ollama lives. */
  resourcesPath?: string | null;
  /** `--provider`, `--base-url` (and `--model` for the provider) from the command line. */
  providerFlags?: { provider?: string; baseUrl?: string; model?: string };
  /** Whether the machine is online (offline, nothing tries the cloud); tests pin it. */
  online?: () => boolean;
  /** Where to look for the original server's database (its cwd-relative default, ~/AirQualityAgent); tests pin them. */
  cwd?: string;
  home?: string;
}

export interface Engine {
  readonly paths: DataPaths;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly store: Store;
  /** Owns the open store so a restore can swap the file under the running engine. */
  readonly storeHost: StoreHost;
  readonly backups: BackupService;
  readonly backupScheduler: BackupScheduler;
  /** Set while the store is damaged: the shells refuse other calls and show the recovery screen. */
  readonly recoveryState: RecoveryState;
  /** Restore a verified backup or salvage the damaged store, and leave recovery mode without a restart. */
  readonly recovery: RecoveryService;
  /** The hourly background quick_check (started by startBackgroundTasks); `runOnce()` checks now. */
  readonly storeWatch: StoreWatch;
  readonly logRotator: LogRotator;
  readonly maintenance: MaintenanceService;
  readonly settings: SettingsService;
  readonly ollama: OllamaGateway;
  readonly chat: ChatService;
  /** Sessions, messages and search as the API offers them (handlers go through this, not the store). */
  readonly conversations: Conversations;
  /** Ollama, OpenAI-compatible servers and Gemini, with the fallback order (main/providers). */
  readonly providers: ConfiguredProviders;
  readonly health: HealthService;
  /** Requests, tool calls, tokens/s, conversation lengths: hourly buckets in the store, `/metrics`. */
  readonly metrics: MetricsService;
  readonly hardware: HardwareService;
  readonly airQuality: AirQualityService;
  /** Imported sensor files (PurpleAir, AirQo, CSV) and queries over them. */
  readonly imports: ImportsService;
  /** Documents attached in the chat: extraction, chunks, embeddings, hybrid search. */
  readonly documents: DocumentsService;
  /** Data-source URLs and keys saved from the UI (never in config.json, never sent back to the UI). */
  readonly sourceSettings: SourceSettingsService;
  /** Attach to or run Ollama. Electron and serve call `supervisor.start()`; the CLI never does. */
  readonly supervisor: OllamaSupervisor;
  readonly models: ModelServices;
  readonly tools: ToolRegistry;
  readonly events: EventBus<EngineEvents>;
  /** Where the host came from, so Settings can say when an env var or flag overrides it. */
  readonly ollamaHostSource: 'flag' | 'env' | 'settings' | 'default';
  /** Daily backups, log rotation, session cleanup: for the long-running shells (Electron, serve), not one-shot CLI commands. */
  startBackgroundTasks(): void;
  close(): Promise<void>;
}

/** The one wiring function: Electron, serve mode, the CLI and the tests all build the engine here. */
export function createEngine(opts: EngineOptions): Engine {
  const env = opts.env ?? process.env;
  const clock = opts.clock ?? systemClock;
  const paths = dataPaths(opts.dataDir);
  ensureDataDirs(paths);
  const logger =
    opts.logger ?? new FileLogger(paths.logsDir, clock, env.AERIS_LOG_LEVEL === 'debug' ? 'debug' : 'info');
  const settings = new SettingsService(paths.configFile);
  const saved = settings.get();
  const [host, source]: [string, Engine['ollamaHostSource']] = opts.ollamaHost
    ? [opts.ollamaHost, 'flag']
    : env.OLLAMA_HOST
      ? [env.OLLAMA_HOST, 'env']
      : saved.ollamaHost
        ? [saved.ollamaHost, 'settings']
        : [DEFAULT_OLLAMA_HOST, 'default'];
  // A restore cut short by a crash is finished or rolled back before the store is opened (never an empty store).
  const interrupted = recoverInterruptedRestore(paths.dbFile);
  if (interrupted.action !== 'none') logger.log('warn', 'backup', 'interrupted restore', { ...interrupted });
  // A damaged, empty or unopenable store does not throw out of here: the engine starts in recovery mode.
  // A write that failed for lack of space, remembered for health until one succeeds again.
  const disk = new DiskFullState(clock, paths.root);
  const recoveryState = new RecoveryState();
  const recoverable = new RecoverableStore({
    dbFile: paths.dbFile,
    clock,
    state: recoveryState,
    onboardingDone: () => saved.onboardingDone,
    hooks: {
      onWriteError: (err, what) => {
        if (disk.noteFailure(err, what)) logger.log('warn', 'store', `${what}: the disk is full; will retry`);
        else logger.log('error', 'store', `${what} failed; will retry`, { error: String(err) });
      },
      onWriteOk: () => disk.noteSuccess(),
    },
  });
  const storeHost: StoreHost = recoverable.host;
  const store = storeHost.store;
  if (!recoveryState.active) settings.settleOnboarding(() => store.sessions.list(1).total > 0);
  const ollama = new OllamaGateway(host, clock, opts.fetch ?? fetch, opts.fetch ?? probeFetch, !opts.fetch);
  const events = new EventBus<EngineEvents>();
  const sourceSettings = new SourceSettingsService(
    opts.secretStore ?? new FileSecretStore(path.join(paths.root, 'secrets.json')),
  );
  const airQuality = new AirQualityService({
    db: store.db,
    clock,
    fetch: opts.fetch ?? fetch,
    env,
    settings: () => opts.sourceSettings?.() ?? sourceSettings.get(),
    logger: logger.child('airquality'),
  });
  const imports = new ImportsService({
    db: () => store.db,
    clock,
    logger: logger.child('imports'),
    emit: (p) => events.emit('imports.progress', p),
    uploadDir: path.join(paths.root, 'imports-tmp'),
  });
  // AERIS_EMBED_MODEL picks the Ollama embedding model (default nomic-embed-text); `off`: keyword search only.
  const embedModel = env.AERIS_EMBED_MODEL || 'nomic-embed-text';
  const documents = new DocumentsService({
    db: () => store.db,
    clock,
    logger: logger.child('documents'),
    embedder: () =>
      embedModel === 'off'
        ? null
        : new OllamaEmbedder({ host: ollama.host, model: embedModel, fetch: opts.fetch ?? fetch }),
  });
  const tools = createAirQualityTools(airQuality, logger.child('tools'), imports, documents, {
    env,
    enabled: () => (opts.sourceSettings?.() ?? sourceSettings.get()).webTools === 'on',
  });
  const capabilities = new ModelCapabilities(ollama);
  const providers = createProviderRouter({
    env,
    gateway: ollama,
    capabilities,
    secrets: () => opts.sourceSettings?.() ?? sourceSettings.get(),
    settings: () => {
      const s = settings.get();
      return {
        defaultProvider: s.defaultProvider,
        providerFallback: s.providerFallback,
        allowCloud: s.allowCloud,
        openaiModel: s.openaiModel,
        geminiModel: s.geminiModel,
        ollamaModel: env.AERIS_DEFAULT_MODEL || s.defaultModel,
      };
    },
    online: opts.online ?? onlineCheck(env),
    ...(opts.providerFlags ? { flags: opts.providerFlags } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  const chat = new ChatService({
    capabilities,
    providers,
    store,
    ollama,
    clock,
    logger: logger.child('chat'),
    limits: sessionLimitFromEnv(env),
    defaults: () => {
      const s = settings.get();
      // AERIS_DEFAULT_MODEL (or the seed's AI_MODEL) is explicit configuration: it beats the saved choice.
      // AERIS_MODEL names the model of the configured provider; for Ollama it is the default model too.
      const ollamaFirst = providers.providerFor(undefined, null) === 'ollama';
      const model = env.AERIS_DEFAULT_MODEL || (ollamaFirst ? env.AERIS_MODEL : undefined) || s.defaultModel;
      return { model: model ?? null, style: s.defaultStyle, location: s.location, language: s.uiLanguage };
    },
    emit: (e) => events.emit('chat.event', e),
    tools,
    gazetteer: airQuality.gazetteer,
    disk,
    hasDocuments: (sessionId) => documents.hasAny(sessionId),
    // Ollama spills to system memory past the GPU: most of RAM is what a default model may weigh.
    modelBudgetBytes: () => Math.round(os.totalmem() * 0.6),
    // The advisor knows the GPU: on a CPU-only laptop a 3B model answers in seconds where an 8B one crawls.
    advisorOrder: async () => {
      try {
        const set = await hardware.recommend();
        return set.recommendations.filter((r) => r.installed && r.verdict !== 'too-large').map((r) => r.model);
      } catch {
        return null;
      }
    },
  });
  const supervisor = new OllamaSupervisor({
    host: ollama.host,
    modelsDir: env.OLLAMA_MODELS || null,
    pidFile: path.join(paths.root, 'ollama.pid'),
    logFile: path.join(paths.logsDir, 'ollama.log'),
    clock,
    env,
    resourcesPath: opts.resourcesPath ?? null,
    logger: logger.child('ollama-engine'),
    watchIntervalMs: 5000,
  });
  supervisor.onChange((s) => {
    // The supervisor may have moved Ollama to a free port when the configured one was taken.
    if (s.host !== ollama.host) ollama.setHost(s.host);
    events.emit('ollama.engine', s);
  });
  // Built at the first size asked for, not at start (parsing the catalog is a few ms of every start-up).
  let catalogSizes: Map<string, number> | null = null;
  const catalogSize = (name: string): number | undefined =>
    (catalogSizes ??= new Map(loadModelCatalog().map((m) => [m.name, m.sizeBytes]))).get(name);
  const models = createModelServices({
    gateway: ollama,
    settings,
    paths,
    clock,
    env,
    logger,
    sizeOf: (name) => catalogSize(name.includes(':') ? name : `${name}:latest`),
    modelsDir: () => defaultModelsDir(env),
  });
  models.pulls.onUpdate((s) => events.emit('models.pull', s));
  settings.onChange((s) => {
    if (s.ollamaHost && normalizeOllamaHost(s.ollamaHost) !== supervisor.configured) {
      void supervisor.setHost(s.ollamaHost).then(() => events.emit('settings.changed', { ollamaHost: ollama.host }));
    }
  });
  const isBusy = (): boolean => chat.activeCount > 0;
  const backups = new BackupService({
    host: storeHost,
    paths,
    clock,
    logger: logger.child('backup'),
    isBusy,
    retentionDays: Number(env.AERIS_BACKUP_RETENTION_DAYS) || 30,
    applySettings: (s) => {
      const p = SettingsPatchSchema().safeParse(s);
      if (p.success) settings.update(p.data);
    },
  });
  const backupScheduler = new BackupScheduler({
    backups,
    clock,
    logger: logger.child('backup'),
    // In recovery mode the host holds an empty stand-in: a backup of it would be listed as the newest.
    isBusy: () => isBusy() || recoveryState.active,
    // Not in the first minutes after start: the store is opened, the UI loads, the user starts typing.
    firstCheckDelayMs: Number(env.AERIS_FIRST_BACKUP_DELAY_MS ?? 2 * 60_000),
  });
  const logRotator = new LogRotator({
    logsDir: paths.logsDir,
    clock,
    policy: rotationFromEnv(env),
    logger: logger.child('logs'),
  });
  const maintenance = new MaintenanceService({
    store,
    clock,
    logger: logger.child('maintenance'),
    isBusy,
    isStreaming: (id) => chat.isStreaming(id),
    // Automatic deletion of old conversations is opt-in (AERIS_SESSION_CLEANUP_DAYS=N): on a field laptop
    // history is evidence, and the seed's 30-day server default would silently destroy it. The dashboard's
    // button still offers the seed's 30 days.
    cleanupDays: cleanupDaysFromEnv(env, 0),
  });
  // Message search runs on its own thread and read-only connection, started with the first search.
  const searchReader = new SearchReader(paths.dbFile);
  const conversations = new Conversations(store, (id) => chat.isStreaming(id), searchReader, {
    env,
    cwd: opts.cwd ?? process.cwd(),
    home: opts.home ?? os.homedir(),
  });
  const metrics = createMetrics({ db: () => store.db, clock, logger: logger.child('metrics') });
  events.on('chat.event', (e) => metrics.observeChat(e));
  const health = new HealthService({
    store,
    ollama,
    clock,
    supervisor: () => supervisor.status(),
    sources: () => airQuality.sourceStatus(),
    dataDir: paths.root,
    disk,
    lastBackup: () => backups.lastBackup(),
    alerts: () => metrics.alerts(),
    recovery: () => recoveryState.current(),
    provider: async () => {
      const id = providers.providerFor(undefined, null);
      if (id === 'ollama') return null;
      const usable = providers.usable(id);
      return {
        id,
        ...(usable.ok ? await providers.get(id).health() : { ok: false, detail: usable.reason, text: usable.text }),
      };
    },
  });
  const hardware = createHardwareService({
    env,
    clock,
    ollama,
    measured: new MeasuredFitStore(path.join(paths.root, 'measured-fits.json'), clock),
  });
  storeHost.onReopen((s) => airQuality.rebindDb(s.db));
  let backgroundWanted = false;
  let backgroundStarted = false;
  const startBackground = () => {
    if (backgroundStarted) return;
    backgroundStarted = true;
    backupScheduler.start();
    maintenance.startDailyCleanup();
    metrics.start();
    // The documents' vector index, built a document at a time once start-up is done (the first search then needs no load).
    documents.warmIndex(15_000);
  };
  const storeWatch = new StoreWatch({
    file: () => paths.dbFile,
    onDamage: (reason) => {
      if (recoveryState.active || !recoverable.onFile) return;
      logger.log('error', 'store', 'background check found damage: recovery mode', { reason });
      recoverable.enterRecovery(reason);
    },
    onError: (err) => logger.log('warn', 'store', 'background store check could not run', { error: String(err) }),
  });
  const recovery = new RecoveryService({
    dbFile: paths.dbFile,
    clock,
    state: recoveryState,
    store: recoverable,
    backups: recoveryBackupsFrom(() => backups),
    logger: logger.child('recovery'),
    onRecovered: () => {
      health.backupChanged();
      if (backgroundWanted) startBackground();
    },
  });
  if (recoveryState.active) {
    logger.log('error', 'engine', 'store damaged: recovery mode', { reason: recoveryState.current()?.reason });
  }
  logger.log('info', 'engine', 'engine started', { dataDir: paths.root, ollamaHost: ollama.host, source });

  return {
    paths,
    clock,
    logger,
    store,
    settings,
    ollama,
    chat,
    conversations,
    providers,
    health,
    metrics,
    hardware,
    airQuality,
    imports,
    documents,
    sourceSettings,
    tools,
    supervisor,
    models,
    events,
    ollamaHostSource: source,
    storeHost,
    backups,
    backupScheduler,
    logRotator,
    maintenance,
    recoveryState,
    recovery,
    storeWatch,
    startBackgroundTasks() {
      backgroundWanted = true;
      logRotator.start();
      storeWatch.start();
      // The start-up check skipped quick_check on a big store: run it now, off the event loop.
      if (
        !recoveryState.active &&
        fs.existsSync(paths.dbFile) &&
        fs.statSync(paths.dbFile).size > START_QUICK_CHECK_MAX_BYTES
      ) {
        void storeWatch.runOnce();
      }
      // Backups, cleanup and metrics wait for a good store: a backup of a damaged one would be worthless.
      if (!recoveryState.active) startBackground();
    },
    async close() {
      chat.stopAll();
      await models.pulls.shutdown();
      await supervisor.stop();
      storeWatch.stop();
      logRotator.stop();
      backupScheduler.stop();
      maintenance.stop();
      documents.stopWarming();
      // Give aborted streams a moment to record `stopped` before the store closes.
      for (let i = 0; i < 50 && chat.activeCount > 0; i++) await new Promise((r) => setTimeout(r, 10));
      metrics.close();
      await searchReader.close();
      store.close();
    },
  };
}
