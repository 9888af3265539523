import type {
  AppInfoDto,
  BackupInfoDto,
  CatalogModelDto,
  HealthDetailDto,
  HardwareDto,
  HealthDto,
  InstalledModelDto,
  MetricsPointDto,
  MetricsSummaryDto,
  ModelRowDto,
  ProvidersStatusDto,
  PullSnapshotDto,
  SessionDto,
  SettingsDto,
  SourceStatusDto,
  ToolActivityDto,
} from '../../../preload/contract';
import type { FakeBridge } from './fake-bridge';

type Handlers = NonNullable<ConstructorParameters<typeof FakeBridge>[0]>;

/** Sample answers of a healthy engine, for component tests (each test overrides what it is about). */
export const SETTINGS: SettingsDto = {
  ollamaHost: null,
  defaultModel: 'qwen2.5:3b',
  defaultStyle: 'general',
  theme: 'system',
  location: null,
  onboardingDone: true,
  exportFolder: null,
  defaultProvider: 'ollama',
  providerFallback: [],
  allowCloud: false,
  openaiModel: null,
  geminiModel: null,
  uiLanguage: 'en',
};

export const INFO: AppInfoDto = {
  name: 'AERIS-AQ Desktop',
  version: '0.1.0',
  dataDir: '/data/aeris',
  ollamaHost: 'http://127.0.0.1:11434',
  ollamaHostSource: 'default',
  shell: 'electron',
};

export const HEALTH: HealthDto = {
  status: 'healthy',
  database: 'ok',
  cache: 'ok',
  ollama: 'connected (0.12.3)',
  ollama_host: 'http://127.0.0.1:11434',
  version: '0.1.0',
  timestamp: '2026-01-10T12:00:00.000Z',
};

export const HEALTH_DETAIL: HealthDetailDto = {
  ...HEALTH,
  checks: [
    { id: 'store', label: 'Chat history', status: 'ok', reason: 'integrity ok' },
    { id: 'disk', label: 'Disk space', status: 'warn', reason: '2 GB free' },
    { id: 'ollama', label: 'Ollama', status: 'fail', reason: 'not answering' },
  ],
  dataDir: '/data/aeris',
  engine: { state: 'running', message: null, restarts: 0, version: '0.12.3' },
};

export const session = (over: Partial<SessionDto> & Pick<SessionDto, 'id'>): SessionDto => ({
  title: 'Harmattan dust',
  model: 'qwen2.5:3b',
  style: 'general',
  createdAt: Date.now() - 60_000,
  updatedAt: Date.now() - 60_000,
  messageCount: 2,
  ...over,
});

export const installedModel = (name: string): InstalledModelDto => ({
  name,
  family: 'qwen2',
  parameterSize: '3.1B',
  quantization: 'Q4_K_M',
  sizeBytes: 1_900_000_000,
  modifiedAt: '2026-01-01T00:00:00.000Z',
  digest: 'sha256:abc',
});

export const modelRow = (name: string, over: Partial<ModelRowDto> = {}): ModelRowDto => ({
  ...installedModel(name),
  capabilities: ['completion', 'tools'],
  loaded: false,
  gpuShare: null,
  loadedBytes: null,
  expiresAt: null,
  contextLength: null,
  estimate: null,
  ...over,
});

export const catalogModel = (name: string, over: Partial<CatalogModelDto> = {}): CatalogModelDto => ({
  name,
  family: 'qwen2',
  parameterCount: 3_000_000_000,
  quantization: 'Q4_K_M',
  downloadBytes: 1_900_000_000,
  capabilities: ['completion', 'tools'],
  tools: true,
  license: 'Apache-2.0',
  note: null,
  installed: false,
  inCatalog: true,
  verdict: 'full-gpu',
  gpuFraction: 1,
  tight: false,
  reason: 'fits in GPU memory',
  breakdown: {
    weightsBytes: 1_800_000_000,
    kvCacheBytes: 200_000_000,
    graphBytes: 100_000_000,
    overheadBytes: 50_000_000,
    requiredBytes: 2_150_000_000,
    numCtx: 4096,
    numParallel: 1,
    kvCacheType: 'f16',
  },
  ...over,
});

export const pullSnapshot = (over: Partial<PullSnapshotDto> & Pick<PullSnapshotDto, 'name'>): PullSnapshotDto => ({
  state: 'pulling',
  status: 'pulling 6a0746a1ec1a',
  layers: [],
  completedBytes: 500_000_000,
  totalBytes: 2_000_000_000,
  percent: 25,
  bytesPerSecond: 10_000_000,
  etaSeconds: 150,
  error: null,
  resumable: false,
  queuePosition: null,
  startedAt: 100,
  updatedAt: 100,
  ...over,
});

export const backup = (name: string, over: Partial<BackupInfoDto> = {}): BackupInfoDto => ({
  path: `/data/aeris/backups/${name}`,
  name,
  sizeBytes: 48_000,
  sha256: 'f'.repeat(64),
  sessions: 3,
  messages: 12,
  createdAt: '2026-01-09T08:00:00.000Z',
  kind: 'manual',
  appVersion: '0.1.0',
  schemaVersion: 9,
  firstMessageAt: '2026-01-01T08:00:00.000Z',
  lastMessageAt: '2026-01-09T07:00:00.000Z',
  compression: 'gzip',
  ...over,
});

const point = (start: number, requests: number, p95Ms: number | null): MetricsPointDto => ({
  start,
  requests,
  errors: requests > 10 ? 1 : 0,
  errorRate: requests ? (requests > 10 ? 1 / requests : 0) : null,
  p50Ms: p95Ms === null ? null : p95Ms / 2,
  p95Ms,
  p99Ms: p95Ms,
  toolCalls: 2,
  replies: requests,
  tokens: requests * 100,
  tokensPerSecond: requests ? 20 : null,
});

export const METRICS: MetricsSummaryDto = {
  generatedAt: Date.UTC(2026, 0, 10, 12),
  hourly: [0, 1, 2, 3].map((i) => point(Date.UTC(2026, 0, 10, 8 + i), [4, 12, 0, 30][i]!, [800, 1200, null, 2400][i]!)),
  daily: [0, 1].map((i) => point(Date.UTC(2026, 0, 9 + i), 40 + i, 1000)),
  last24h: { ...point(0, 46, 2400), requestsPerMinute: 0.03 },
  last30d: { ...point(0, 81, 1800), requestsPerMinute: 0.002 },
  tools: [{ tool: 'get_air_quality', calls: 9, errors: 1, p95Ms: 640 }],
  models: [{ model: 'qwen2.5:3b', replies: 46, errors: 1, tokens: 4600, tokensPerSecond: 21.5 }],
  messagesPerSession: { average: 4.5, max: 12 },
  alerts: [
    {
      id: 'latency_p95',
      severity: 'warning',
      firing: true,
      value: 2400,
      threshold: 2000,
      message: 'Replies are slow: p95 2.4 s',
    },
  ],
};

export const PROVIDERS: ProvidersStatusDto = {
  keyStorage: 'safeStorage',
  defaultProvider: 'ollama',
  online: true,
  providers: [
    {
      id: 'ollama',
      configured: true,
      cloud: false,
      baseUrl: 'http://127.0.0.1:11434',
      baseUrlFrom: 'default',
      keyConfigured: false,
      model: 'qwen2.5:3b',
    },
    {
      id: 'openai-compatible',
      configured: false,
      cloud: false,
      baseUrl: '',
      baseUrlFrom: 'none',
      keyConfigured: false,
      model: null,
    },
    {
      id: 'gemini',
      configured: false,
      cloud: true,
      baseUrl: 'https://generativelanguage.googleapis.com',
      baseUrlFrom: 'default',
      keyConfigured: false,
      model: null,
    },
  ],
};

export const source = (
  id: SourceStatusDto['id'],
  name: string,
  over: Partial<SourceStatusDto> = {},
): SourceStatusDto => ({
  id,
  name,
  configured: true,
  needsKey: false,
  keyConfigured: false,
  keyFrom: 'none',
  baseUrl: `https://${id}.example.org`,
  baseUrlFrom: 'default',
  baseUrlEnv: `AERIS_${id.toUpperCase()}_URL`,
  keyEnv: over.needsKey ? `AERIS_${id.toUpperCase()}_TOKEN` : null,
  breaker: {
    state: 'closed',
    consecutiveFailures: 0,
    retryAt: null,
    lastSuccessAt: null,
    lastFailureAt: null,
    lastError: null,
  },
  ...over,
});

export const tool = (over: Partial<ToolActivityDto> & Pick<ToolActivityDto, 'seq' | 'name'>): ToolActivityDto => ({
  status: 'done',
  durationMs: 420,
  label: null,
  sources: [],
  cached: false,
  stale: false,
  summary: null,
  aqi: null,
  chart: null,
  ...over,
});

export const HARDWARE: HardwareDto = {
  platform: 'linux',
  arch: 'x64',
  gpus: [
    {
      name: 'RTX 3060',
      vendor: 'nvidia',
      vramTotalBytes: 12e9,
      vramFreeBytes: 10e9,
      driver: '550.54',
      sharesSystemRam: false,
    },
  ],
  ram: { totalBytes: 32e9, freeBytes: 20e9 },
  cpu: { model: 'Ryzen 5 5600', cores: 12, flags: ['avx2'] },
  disk: { modelsDir: '/data/ollama', freeBytes: 40e9 },
  notes: [],
  detectedAt: '2026-01-10T12:00:00.000Z',
  numCtx: 4096,
  recommended: 'qwen2.5:3b',
  recommendations: [
    {
      model: 'qwen2.5:3b',
      verdict: 'full-gpu',
      requiredBytes: 2.2e9,
      gpuFraction: 1,
      tools: true,
      installed: true,
      reason: 'fits',
    },
  ],
  ollamaReachable: true,
};

/** What the app asks for as it starts and shows its chat page: a healthy engine with one model, no chats. */
export function engineAnswers(): Handlers {
  return {
    'app.info': () => INFO,
    'settings.get': () => SETTINGS,
    'health.get': () => HEALTH,
    'sessions.list': () => ({ sessions: [], total: 0 }),
    'messages.list': () => ({ messages: [], total: 0 }),
    'models.list': () => ({ models: [installedModel('qwen2.5:3b')], newChatModel: 'qwen2.5:3b' }),
    'models.catalog': () => ({
      models: [catalogModel('qwen2.5:3b', { installed: true })],
      recommended: 'qwen2.5:3b',
      numCtx: 4096,
      machine: { gpus: [], ramTotalBytes: 16e9, ramFreeBytes: 8e9, notes: [] },
    }),
    'providers.status': () => PROVIDERS,
    'documents.list': () => ({ documents: [] }),
    // A chat with no settings of its own (the header's Chat settings button asks).
    'chat.getSettings': () => ({}),
    'documents.embedder': () => ({
      model: 'nomic-embed-text',
      installed: true,
      downloadBytes: null,
      verdict: null,
      reason: null,
      stale: 0,
    }),
  };
}
