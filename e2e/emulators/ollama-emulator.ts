/**
 * A loopback stand-in for the Ollama server, faithful to shared/reference/ollama-api.md:
 * status codes, `{"error": ...}` bodies, NDJSON streams, errors as the last line of a 200 stream,
 * `stream` defaulting to true, tool calls with object arguments, pull progress lines.
 * Tests script replies (tokens, delays, tool calls, failures mid-stream) through `script()`.
 */
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { closeServer, listen, readBody, sendJson, sleep, takeRule } from './http-util';

export interface EmulatedModel {
  name: string;
  family: string;
  parameterSize: string;
  quantization: string;
  sizeBytes: number;
  capabilities: string[];
  modelInfo?: Record<string, unknown>;
}

interface ScriptedReply {
  /** Text split into chunks as given; `content` is split into words instead. */
  tokens?: string[];
  content?: string;
  tokenDelayMs?: number;
  firstTokenDelayMs?: number;
  toolCalls?: Array<{ name: string; arguments: Record<string, unknown> }>;
  /** After this many chunks, end the 200 stream with `{"error": ...}` as its last line. */
  errorAfterTokens?: { after: number; error: string };
  /** After this many chunks, drop the connection without a final line. */
  dropAfterTokens?: number;
  /** Answer before streaming with this status and error text. */
  httpError?: { status: number; error: string };
  /** Each chunk ends with `@<epoch ms>` of its write (for benchmarks timing delivery across processes). */
  stampTokens?: boolean;
}

interface ScriptRule {
  match?: string | RegExp;
  model?: string;
  reply: ScriptedReply;
  /** How many times the rule applies; unlimited when absent. */
  times?: number;
}

export interface PullableModel {
  model: EmulatedModel;
  layers: Array<{ digest: string; size: number }>;
}

interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
  headers: http.IncomingHttpHeaders;
}

export interface OllamaEmulatorOptions {
  port?: number;
  version?: string;
  models?: EmulatedModel[];
  registry?: PullableModel[];
  tokenDelayMs?: number;
  pullTickMs?: number;
  pullBytesPerTick?: number;
  /** Advance every unfinished layer on each tick (one line per layer per tick) instead of one layer at a time. */
  pullConcurrentLayers?: boolean;
}

export const EMULATOR_MODELS: Record<string, EmulatedModel> = {
  'qwen2.5:3b': {
    name: 'qwen2.5:3b',
    family: 'qwen2',
    parameterSize: '3.1B',
    quantization: 'Q4_K_M',
    sizeBytes: 1_929_912_432,
    capabilities: ['completion', 'tools'],
    modelInfo: {
      'general.architecture': 'qwen2',
      'general.parameter_count': 3_085_938_688,
      'qwen2.block_count': 36,
      'qwen2.context_length': 32768,
      'qwen2.embedding_length': 2048,
      'qwen2.attention.head_count': 16,
      'qwen2.attention.head_count_kv': 2,
    },
  },
  'llama3.1:8b': {
    name: 'llama3.1:8b',
    family: 'llama',
    parameterSize: '8.0B',
    quantization: 'Q4_K_M',
    sizeBytes: 4_920_753_328,
    capabilities: ['completion', 'tools'],
    modelInfo: {
      'general.architecture': 'llama',
      'general.parameter_count': 8_030_261_248,
      'llama.block_count': 32,
      'llama.context_length': 131072,
      'llama.embedding_length': 4096,
      'llama.attention.head_count': 32,
      'llama.attention.head_count_kv': 8,
    },
  },
  'gemma:2b': {
    name: 'gemma:2b',
    family: 'gemma',
    parameterSize: '3B',
    quantization: 'Q4_0',
    sizeBytes: 1_678_456_656,
    capabilities: ['completion'],
    modelInfo: {
      'general.architecture': 'gemma',
      'general.parameter_count': 2_506_172_416,
      'gemma.block_count': 18,
      'gemma.context_length': 8192,
      'gemma.embedding_length': 2048,
      'gemma.attention.head_count': 8,
      'gemma.attention.head_count_kv': 1,
    },
  },
};

/** Embedding-only models (capability `embedding`), installed where a test passes them in `models`. */
export const EMBEDDING_MODELS: Record<string, EmulatedModel> = {
  'all-minilm:latest': {
    name: 'all-minilm:latest',
    family: 'bert',
    parameterSize: '23M',
    quantization: 'F16',
    sizeBytes: 45_960_996,
    capabilities: ['embedding'],
    modelInfo: {
      'general.architecture': 'bert',
      'general.parameter_count': 22_565_376,
      'bert.block_count': 6,
      'bert.context_length': 512,
      'bert.embedding_length': 384,
      'bert.attention.head_count': 12,
    },
  },
  'nomic-embed-text:latest': {
    name: 'nomic-embed-text:latest',
    family: 'nomic-bert',
    parameterSize: '137M',
    quantization: 'F16',
    sizeBytes: 274_302_450,
    capabilities: ['embedding'],
    modelInfo: {
      'general.architecture': 'nomic-bert',
      'general.parameter_count': 136_727_040,
      'nomic-bert.block_count': 12,
      'nomic-bert.context_length': 2048,
      'nomic-bert.embedding_length': 768,
      'nomic-bert.attention.head_count': 12,
    },
  },
};

/** A model as the registry offers it for a pull: one weights layer of its size, plus a small config layer. */
export function pullable(model: EmulatedModel): PullableModel {
  const hex = (seed: string) => createHash('sha256').update(seed).digest('hex');
  return {
    model,
    layers: [
      { digest: `sha256:${hex(`${model.name} weights`)}`, size: model.sizeBytes - 420 },
      { digest: `sha256:${hex(`${model.name} params`)}`, size: 420 },
    ],
  };
}

/**
 * Deterministic stand-in for an embedding: each word (and each pair of neighbouring words) adds ±1 to a
 * hashed dimension (feature hashing), so texts sharing words point the same way and lexical neighbours
 * are close, as retrieval tests need. Unit length, as /api/embed returns.
 */
export function emulatedEmbedding(text: string, dims: number, normalise = true): number[] {
  const v = new Array<number>(dims).fill(0);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+(?:[.,][\p{N}]+)?/gu) ?? [];
  const add = (feature: string, weight: number) => {
    const h = createHash('sha256').update(feature).digest();
    v[h.readUInt32LE(0) % dims]! += (h[4]! & 1 ? 1 : -1) * weight;
  };
  words.forEach((w, i) => {
    add(w, 1);
    if (i > 0) add(`${words[i - 1]} ${w}`, 0.5);
  });
  if (!normalise) return v;
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return norm ? v.map((x) => x / norm) : v;
}

/** `registry.ollama.ai/library/gemma:2b`, as the server names models in its errors. */
function fullModelName(name: string): string {
  const [repo, tag = 'latest'] = name.split(':');
  const parts = repo!.split('/');
  if (parts.length === 1) return `registry.ollama.ai/library/${repo}:${tag}`;
  if (parts.length === 2) return `registry.ollama.ai/${repo}:${tag}`;
  return `${repo}:${tag}`;
}

const withTag = (name: string): string =>
  name.slice(name.lastIndexOf('/') + 1).includes(':') ? name : `${name}:latest`;

/**
 * Ollama's name rules (types/model/name.go): `[host/][namespace/]model[:tag]`, parts of 1–80 chars starting
 * with a letter, digit or `_`, then letters, digits, `_`, `-`, `.` (no `.` in a namespace; host may carry :port).
 */
function isValidModelName(name: string): boolean {
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const [path, tag] = colon > slash ? [name.slice(0, colon), name.slice(colon + 1)] : [name, 'latest'];
  const parts = path.split('/');
  if (parts.length > 3) return false;
  const part = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}$/;
  const [model, ns, host] = [parts.pop()!, parts.pop(), parts.pop()];
  if (!part.test(model) || !part.test(tag)) return false;
  if (ns !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9_-]{0,79}$/.test(ns)) return false;
  if (host !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,340}(?::\d{1,5})?$/.test(host)) return false;
  return true;
}

/** How a scripted pull goes wrong after HTTP 200: an error as the last line, or a dropped connection. */
interface PullFault {
  afterLines: number;
  error?: string;
  drop?: boolean;
  times?: number;
}

/** `keep_alive` as Ollama reads it: seconds, a Go duration, negative = forever. Returns ms. */
function keepAliveMs(v: unknown): number {
  if (typeof v === 'number') return v < 0 ? Number.MAX_SAFE_INTEGER : v * 1000;
  if (typeof v === 'string') {
    const m = /^(-?\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
    if (m) {
      const n = Number(m[1]);
      if (n < 0) return Number.MAX_SAFE_INTEGER;
      return n * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1000);
    }
  }
  return 300_000;
}

export class OllamaEmulator {
  private server: http.Server;
  url = '';
  readonly requests: RecordedRequest[] = [];
  private rules: ScriptRule[] = [];
  private installed = new Map<string, EmulatedModel & { modifiedAt: string; digest: string }>();
  private loaded = new Map<string, number>();
  private registry = new Map<string, PullableModel>();
  /** Bytes of each blob already fetched: a pull that is cut off resumes from here, as Ollama does. */
  private partialBlobs = new Map<string, number>();
  private activeStreams = 0;
  private idleWaiters: Array<() => void> = [];
  /** Chat streams that ended because the client went away before the last token. */
  streamsCutByClient = 0;
  readonly version: string;
  tokenDelayMs: number;
  pullTickMs: number;
  pullBytesPerTick: number;
  pullConcurrentLayers: boolean;
  /** Fail every pull after this many progress lines (a connection that dies near the end). */
  pullFailAfterLines: number | null = null;
  private pullFaults = new Map<string, PullFault>();
  /** Share of each loaded model in VRAM (`size_vram / size` in /api/ps); 1 when absent. */
  private gpuShares = new Map<string, number>();
  private pullStreams = 0;
  /** The most pulls streaming at once, so tests can check a client's concurrency limit. */
  maxPullsInFlight = 0;

  constructor(private readonly opts: OllamaEmulatorOptions = {}) {
    this.version = opts.version ?? '0.12.6';
    this.tokenDelayMs = opts.tokenDelayMs ?? 0;
    this.pullTickMs = opts.pullTickMs ?? 60;
    this.pullBytesPerTick = opts.pullBytesPerTick ?? 50_000_000;
    this.pullConcurrentLayers = opts.pullConcurrentLayers ?? false;
    for (const m of opts.models ?? [EMULATOR_MODELS['qwen2.5:3b']!]) this.install(m);
    for (const p of opts.registry ?? []) this.registry.set(withTag(p.model.name), p);
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: String(err) });
        else res.destroy();
      });
    });
  }

  async start(): Promise<this> {
    this.url = await listen(this.server, this.opts.port ?? 0);
    return this;
  }

  async close(): Promise<void> {
    await closeServer(this.server);
  }

  install(m: EmulatedModel): void {
    const digest = createHash('sha256').update(m.name).digest('hex');
    this.installed.set(withTag(m.name), {
      ...m,
      name: withTag(m.name),
      modifiedAt: new Date('2026-10-01T10:00:00Z').toISOString(),
      digest,
    });
  }

  uninstall(name: string): void {
    this.installed.delete(withTag(name));
  }

  isInstalled(name: string): boolean {
    return this.installed.has(withTag(name));
  }

  script(rule: ScriptRule): void {
    this.rules.push(rule);
  }

  reset(): void {
    this.rules = [];
    this.requests.length = 0;
  }

  get streamsInFlight(): number {
    return this.activeStreams;
  }

  /** Resolves once no chat reply is streaming (a client that went away has been noticed), so tests need no sleep. */
  whenStreamsIdle(): Promise<void> {
    if (this.activeStreams === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get pullsInFlight(): number {
    return this.pullStreams;
  }

  /** Make the next pull(s) of `name` fail after HTTP 200. */
  failPull(name: string, fault: PullFault): void {
    this.pullFaults.set(withTag(name), { ...fault });
  }

  /** Add a model others can pull. */
  publish(p: PullableModel): void {
    this.registry.set(withTag(p.model.name), p);
  }

  setGpuShare(name: string, share: number): void {
    this.gpuShares.set(withTag(name), share);
  }

  isLoaded(name: string): boolean {
    return this.loaded.has(withTag(name));
  }

  private findModel(name: string): (EmulatedModel & { modifiedAt: string; digest: string }) | undefined {
    return this.installed.get(withTag(name));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    let body: unknown = undefined;
    let rawBody = '';
    if (method === 'POST' || method === 'DELETE') rawBody = await readBody(req);
    if (rawBody) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        this.requests.push({ method, path, body: rawBody, headers: req.headers });
        return sendJson(res, 400, { error: `invalid character '${rawBody[0]}' looking for beginning of value` });
      }
    }
    this.requests.push({ method, path, body, headers: req.headers });

    if ((method === 'GET' || method === 'HEAD') && path === '/') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end(method === 'HEAD' ? undefined : 'Ollama is running');
    }
    if ((method === 'GET' || method === 'HEAD') && path === '/api/version') {
      return sendJson(res, 200, { version: this.version });
    }
    if (method === 'GET' && path === '/api/tags') return this.tags(res);
    if (method === 'GET' && path === '/api/ps') return this.ps(res);
    const needsBody = [
      '/api/show',
      '/api/chat',
      '/api/generate',
      '/api/pull',
      '/api/delete',
      '/api/embed',
      '/api/embeddings',
    ];
    if ((method === 'POST' || method === 'DELETE') && needsBody.includes(path) && !rawBody) {
      return sendJson(res, 400, { error: 'missing request body' });
    }
    const b = (body ?? {}) as Record<string, unknown>;
    if (method === 'POST' && path === '/api/show') return this.show(res, b);
    if (method === 'DELETE' && path === '/api/delete') return this.delete(res, b);
    if (method === 'POST' && path === '/api/chat') return this.chat(req, res, b);
    if (method === 'POST' && path === '/api/pull') return this.pull(req, res, b);
    if (method === 'POST' && path === '/api/embed') return this.embed(res, b);
    if (method === 'POST' && path === '/api/embeddings') return this.embeddingsLegacy(res, b);
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('404 page not found');
  }

  private details(m: EmulatedModel) {
    return {
      parent_model: '',
      format: 'gguf',
      family: m.family,
      families: [m.family],
      parameter_size: m.parameterSize,
      quantization_level: m.quantization,
    };
  }

  private embeddingDims(m: EmulatedModel): number {
    const dims = m.modelInfo?.[`${m.family}.embedding_length`] ?? m.modelInfo?.['bert.embedding_length'];
    return typeof dims === 'number' ? dims : 384;
  }

  /** POST /api/embed: `{model, input: string | string[], truncate?, dimensions?}` → `{model, embeddings, ...}`. */
  private embed(res: http.ServerResponse, b: Record<string, unknown>): void {
    const name = b.model as string | undefined;
    if (!name) return sendJson(res, 400, { error: 'model is required' });
    const m = this.findModel(name);
    if (!m) return sendJson(res, 404, { error: `model '${name}' not found` });
    const input = b.input;
    let texts: string[];
    if (input === undefined || input === null) texts = [];
    else if (typeof input === 'string') texts = input === '' ? [] : [input];
    else if (Array.isArray(input) && input.every((x) => typeof x === 'string')) texts = input;
    else return sendJson(res, 400, { error: 'invalid input type' });
    const ctx = Number(m.modelInfo?.[`${m.family}.context_length`] ?? 2048);
    const truncate = b.truncate !== false; // the server truncates unless told not to
    const words = (t: string) => t.split(/\s+/).filter(Boolean);
    if (!truncate && texts.some((t) => words(t).length > ctx)) {
      return sendJson(res, 400, { error: 'input exceeds maximum context length' });
    }
    let dims = this.embeddingDims(m);
    if (b.dimensions !== undefined) {
      if (typeof b.dimensions !== 'number' || b.dimensions <= 0 || b.dimensions > dims) {
        return sendJson(res, 400, { error: `invalid dimensions: must be between 1 and ${dims}` });
      }
      dims = b.dimensions;
    }
    this.loaded.set(withTag(m.name), Date.now() + 5 * 60_000);
    const embeddings = texts.map((t) => emulatedEmbedding(words(t).slice(0, ctx).join(' '), dims));
    sendJson(res, 200, {
      model: name,
      embeddings,
      total_duration: 1_000_000 * (1 + texts.length),
      load_duration: 100_000,
      prompt_eval_count: texts.reduce((n, t) => n + Math.min(words(t).length, ctx), 0),
    });
  }

  /** POST /api/embeddings (deprecated): `{model, prompt}` → `{embedding}`, not normalised; empty prompt → []. */
  private embeddingsLegacy(res: http.ServerResponse, b: Record<string, unknown>): void {
    const name = b.model as string | undefined;
    if (!name) return sendJson(res, 400, { error: 'model is required' });
    const m = this.findModel(name);
    if (!m) return sendJson(res, 404, { error: `model '${name}' not found` });
    const prompt = typeof b.prompt === 'string' ? b.prompt : '';
    sendJson(res, 200, { embedding: prompt ? emulatedEmbedding(prompt, this.embeddingDims(m), false) : [] });
  }

  private tags(res: http.ServerResponse): void {
    sendJson(res, 200, {
      models: [...this.installed.values()].map((m) => ({
        name: m.name,
        model: m.name,
        modified_at: m.modifiedAt,
        size: m.sizeBytes,
        digest: m.digest,
        details: this.details(m),
      })),
    });
  }

  private ps(res: http.ServerResponse): void {
    const models = [...this.loaded.entries()].flatMap(([name, expires]) => {
      const m = this.findModel(name);
      if (!m) return [];
      const size = Math.round(m.sizeBytes * 1.2);
      return [
        {
          name: m.name,
          model: m.name,
          size,
          digest: m.digest,
          details: this.details(m),
          expires_at: new Date(Math.min(expires, Date.UTC(2318, 0, 1))).toISOString(),
          size_vram: Math.round(size * (this.gpuShares.get(name) ?? 1)),
          context_length: 4096,
        },
      ];
    });
    sendJson(res, 200, { models });
  }

  private show(res: http.ServerResponse, b: Record<string, unknown>): void {
    const name = (b.model ?? b.name) as string | undefined;
    if (!name) return sendJson(res, 400, { error: 'model is required' });
    const m = this.findModel(name);
    if (!m) return sendJson(res, 404, { error: `model '${name}' not found` });
    sendJson(res, 200, {
      license: 'Apache License 2.0',
      modelfile: `FROM ${m.name}`,
      parameters: 'stop "<|im_end|>"',
      template: '{{ .Prompt }}',
      details: this.details(m),
      model_info: m.modelInfo ?? {},
      capabilities: m.capabilities,
      modified_at: m.modifiedAt,
    });
  }

  private delete(res: http.ServerResponse, b: Record<string, unknown>): void {
    const name = (b.model ?? b.name) as string | undefined;
    if (!name) return sendJson(res, 400, { error: 'model is required' });
    if (!this.findModel(name)) return sendJson(res, 404, { error: `model '${name}' not found` });
    this.installed.delete(withTag(name));
    this.loaded.delete(withTag(name));
    res.writeHead(200);
    res.end();
  }

  private pickReply(model: string, lastUser: string): ScriptedReply {
    const rule = takeRule(this.rules, lastUser, (r) => !r.model || withTag(r.model) === withTag(model));
    if (rule) return rule.reply;
    return { content: `You said: ${lastUser}` };
  }

  private async chat(req: http.IncomingMessage, res: http.ServerResponse, b: Record<string, unknown>): Promise<void> {
    const name = b.model as string | undefined;
    if (!name) return sendJson(res, 400, { error: 'model is required' });
    const m = this.findModel(name);
    if (!m) return sendJson(res, 404, { error: `model '${name}' not found` });
    const tools = b.tools as unknown[] | undefined;
    if (tools && tools.length > 0 && !m.capabilities.includes('tools')) {
      return sendJson(res, 400, { error: `${fullModelName(name)} does not support tools` });
    }
    if (b.think && !m.capabilities.includes('thinking')) {
      return sendJson(res, 400, { error: `"${name}" does not support thinking` });
    }
    const messages = (b.messages ?? []) as Array<{ role: string; content: string }>;
    const stream = b.stream !== false;
    const created = () => new Date().toISOString();
    const keepAlive = b.keep_alive;
    if (messages.length === 0) {
      const unload = keepAlive === 0 || keepAlive === '0' || keepAlive === '0s';
      if (unload) this.loaded.delete(withTag(name));
      else this.loaded.set(withTag(name), Date.now() + keepAliveMs(keepAlive));
      return sendJson(res, 200, {
        model: name,
        created_at: created(),
        message: { role: 'assistant', content: '' },
        done_reason: unload ? 'unload' : 'load',
        done: true,
      });
    }
    this.loaded.set(withTag(name), Date.now() + keepAliveMs(keepAlive));
    const lastUser = [...messages].reverse().find((x) => x.role === 'user')?.content ?? '';
    const reply = this.pickReply(name, lastUser);
    if (reply.httpError) return sendJson(res, reply.httpError.status, { error: reply.httpError.error });
    const chunks = reply.tokens ?? (reply.content ?? '').split(/(?<=\s)/).filter((t) => t.length > 0);
    // Durations as Ollama measures them, in ns on this clock: the prompt until generation starts (the first
    // token's delay), then generating eval_count tokens (each token's pace), the whole request in total.
    const received = performance.now();
    let generating = received;
    const ns = (ms: number) => Math.round(ms * 1e6);
    const final = (content: string) => {
      const end = performance.now();
      return {
        model: name,
        created_at: created(),
        message: { role: 'assistant', content },
        done: true,
        done_reason: 'stop',
        total_duration: ns(end - received),
        load_duration: 12_345,
        prompt_eval_count: messages.reduce((n, x) => n + Math.ceil((x.content ?? '').length / 4), 0),
        prompt_eval_duration: ns(generating - received),
        eval_count: chunks.length,
        eval_duration: ns(end - generating),
      };
    };
    const toolCalls = reply.toolCalls?.map((t, i) => ({
      id: `call_${randomBytes(4).toString('hex')}`,
      function: { index: i, name: t.name, arguments: t.arguments },
    }));

    if (!stream) {
      if (reply.errorAfterTokens || reply.dropAfterTokens !== undefined) {
        return sendJson(res, 500, { error: reply.errorAfterTokens?.error ?? 'unexpected EOF' });
      }
      const body = final(chunks.join('')) as Record<string, unknown>;
      if (toolCalls) (body.message as Record<string, unknown>).tool_calls = toolCalls;
      return sendJson(res, 200, body);
    }

    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    let closed = false;
    res.on('close', () => (closed = true));
    req.on('close', () => (closed = true));
    this.activeStreams++;
    try {
      if (reply.firstTokenDelayMs) await sleep(reply.firstTokenDelayMs);
      generating = performance.now();
      const delay = reply.tokenDelayMs ?? this.tokenDelayMs;
      for (let i = 0; i < chunks.length; i++) {
        if (closed) {
          this.streamsCutByClient++;
          return;
        }
        if (reply.errorAfterTokens && i === reply.errorAfterTokens.after) {
          res.end(JSON.stringify({ error: reply.errorAfterTokens.error }) + '\n');
          return;
        }
        if (reply.dropAfterTokens !== undefined && i === reply.dropAfterTokens) {
          res.destroy();
          return;
        }
        const line = JSON.stringify({
          model: name,
          created_at: created(),
          message: {
            role: 'assistant',
            content: reply.stampTokens
              ? `${chunks[i]}@${(performance.timeOrigin + performance.now()).toFixed(3)} `
              : chunks[i],
          },
          done: false,
        });
        if (!res.write(line + '\n')) await new Promise((r) => res.once('drain', r));
        if (delay > 0) await sleep(delay);
      }
      if (closed) return;
      if (toolCalls) {
        res.write(
          JSON.stringify({
            model: name,
            created_at: created(),
            message: { role: 'assistant', content: '', tool_calls: toolCalls },
            done: false,
          }) + '\n',
        );
      }
      res.end(JSON.stringify(final('')) + '\n');
    } finally {
      if (--this.activeStreams === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async pull(req: http.IncomingMessage, res: http.ServerResponse, b: Record<string, unknown>): Promise<void> {
    const name = (b.model ?? b.name) as string | undefined;
    if (!name) return sendJson(res, 400, { error: 'model is required' });
    if (!isValidModelName(name)) return sendJson(res, 400, { error: 'invalid model name' });
    const entry = this.registry.get(withTag(name));
    const stream = b.stream !== false;
    if (!stream) {
      if (!entry) return sendJson(res, 500, { error: 'pull model manifest: file does not exist' });
      for (const l of entry.layers) this.partialBlobs.set(l.digest, l.size);
      this.install(entry.model);
      return sendJson(res, 200, { status: 'success' });
    }
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    let closed = false;
    res.on('close', () => (closed = true));
    const write = (o: unknown) => res.write(JSON.stringify(o) + '\n');
    write({ status: 'pulling manifest' });
    if (!entry) {
      res.end(JSON.stringify({ error: 'pull model manifest: file does not exist' }) + '\n');
      return;
    }
    // An installed model has all its blobs: pulling it again only re-checks them.
    if (this.isInstalled(name)) for (const l of entry.layers) this.partialBlobs.set(l.digest, l.size);
    const fault = this.pullFaults.get(withTag(name)) ?? null;
    if (fault) {
      const left = (fault.times ?? 1) - 1;
      if (left <= 0) this.pullFaults.delete(withTag(name));
      else fault.times = left;
    }
    this.pullStreams++;
    this.maxPullsInFlight = Math.max(this.maxPullsInFlight, this.pullStreams);
    try {
      await this.streamLayers(res, entry, write, () => closed, fault);
    } finally {
      this.pullStreams--;
    }
  }

  private async streamLayers(
    res: http.ServerResponse,
    entry: PullableModel,
    write: (o: unknown) => boolean,
    closed: () => boolean,
    fault: PullFault | null,
  ): Promise<void> {
    let lines = 0;
    const failNow = (): boolean => {
      if (fault && lines >= fault.afterLines) {
        if (fault.drop) res.destroy();
        else res.end(JSON.stringify({ error: fault.error ?? 'max retries exceeded: unexpected EOF' }) + '\n');
        return true;
      }
      if (this.pullFailAfterLines !== null && lines >= this.pullFailAfterLines) {
        res.end(JSON.stringify({ error: 'max retries exceeded: unexpected EOF' }) + '\n');
        return true;
      }
      return false;
    };
    if (failNow()) return;
    if (this.pullConcurrentLayers) {
      const done = new Map(entry.layers.map((l) => [l.digest, this.partialBlobs.get(l.digest) ?? 0]));
      for (const l of entry.layers) {
        if (done.get(l.digest)! >= l.size)
          write({ status: `pulling ${l.digest.slice(7, 19)}`, digest: l.digest, total: l.size, completed: l.size });
      }
      while (entry.layers.some((l) => done.get(l.digest)! < l.size)) {
        if (closed()) return;
        await sleep(this.pullTickMs);
        if (closed()) return;
        for (const l of entry.layers) {
          const before = done.get(l.digest)!;
          if (before >= l.size) continue;
          const now = Math.min(l.size, before + this.pullBytesPerTick);
          done.set(l.digest, now);
          this.partialBlobs.set(l.digest, now);
          write({ status: `pulling ${l.digest.slice(7, 19)}`, digest: l.digest, total: l.size, completed: now });
          lines++;
          if (failNow()) return;
        }
      }
    } else
      for (const layer of entry.layers) {
        const short = layer.digest.replace('sha256:', '').slice(0, 12);
        let done = this.partialBlobs.get(layer.digest) ?? 0;
        if (done >= layer.size) {
          write({ status: `pulling ${short}`, digest: layer.digest, total: layer.size, completed: layer.size });
          continue;
        }
        while (done < layer.size) {
          if (closed()) return;
          await sleep(this.pullTickMs);
          if (closed()) return;
          done = Math.min(layer.size, done + this.pullBytesPerTick);
          this.partialBlobs.set(layer.digest, done);
          const line: Record<string, unknown> = { status: `pulling ${short}`, digest: layer.digest, total: layer.size };
          if (done > 0) line.completed = done;
          write(line);
          lines++;
          if (failNow()) return;
        }
      }
    if (closed()) return;
    write({ status: 'verifying sha256 digest' });
    write({ status: 'writing manifest' });
    this.install(entry.model);
    res.end(JSON.stringify({ status: 'success' }) + '\n');
  }
}

export async function startOllamaEmulator(opts: OllamaEmulatorOptions = {}): Promise<OllamaEmulator> {
  return new OllamaEmulator(opts).start();
}
