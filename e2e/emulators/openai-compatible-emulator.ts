/**
 * A loopback stand-in for an OpenAI-compatible server (vLLM, llama.cpp server, LM Studio), faithful to
 * shared/reference/openai-compatible.md: `GET /v1/models`, `POST /v1/chat/completions` streamed as SSE
 * `data: {chunk}` lines ending in `data: [DONE]`, tool-call arguments split anywhere across chunks (several
 * calls interleaved by `index`), `finish_reason`, usage in a last `choices: []` chunk with
 * `stream_options.include_usage`, and `{error: {message, type, param, code}}` bodies with 400/401/404/429.
 * Strict as the real servers: a tool answer must name a call the assistant made, arguments must be strings.
 * Streams are served side by side (a vLLM-like server); `maxStreamsInFlight` says how many at once.
 */
import http from 'node:http';
import { closeServer, listen, readJsonRequest, sendJson, sleep, takeRule } from './http-util';

/** A JSON value as text: strings as they are, anything else as JSON (never "[object Object]"). */
const asText = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);

interface OpenAiScriptedReply {
  /** Text as given pieces; `content` is split into words instead. */
  tokens?: string[];
  content?: string;
  toolCalls?: Array<{ name: string; arguments: Record<string, unknown> }>;
  /** Characters per tool-call argument piece (default 3: pieces split keys and numbers). */
  argumentPieceChars?: number;
  /** Answer before streaming with this status and body. */
  httpError?: { status: number; message: string; type: string; code: string | null };
  /** After this many content chunks, drop the connection without `[DONE]`. */
  dropAfterTokens?: number;
  firstTokenDelayMs?: number;
}

interface OpenAiScriptRule {
  /** Matches the last user message. */
  match?: string | RegExp;
  /** Only when the last message is a tool result (the round after a tool call). */
  afterTool?: boolean;
  model?: string;
  reply: OpenAiScriptedReply;
  times?: number;
}

interface OpenAiRecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown> | null;
}

interface OpenAiEmulatorOptions {
  port?: number;
  models?: string[];
  /** When set, every request needs `Authorization: Bearer <apiKey>` (401 otherwise). */
  apiKey?: string;
  /** Models that reject `tools` with vLLM's 400. */
  modelsWithoutTools?: string[];
  tokenDelayMs?: number;
}

type Json = Record<string, unknown>;

const err = (message: string, type: string, code: string | null, param: string | null = null): Json => ({
  error: { message, type, param, code },
});

export class OpenAiCompatibleEmulator {
  private readonly server: http.Server;
  url = '';
  readonly requests: OpenAiRecordedRequest[] = [];
  private rules: OpenAiScriptRule[] = [];
  private inFlight = 0;
  maxStreamsInFlight = 0;
  tokenDelayMs: number;
  private seq = 0;

  constructor(private readonly opts: OpenAiEmulatorOptions = {}) {
    this.tokenDelayMs = opts.tokenDelayMs ?? 0;
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) this.json(res, 500, err(String(e), 'server_error', null));
        else res.destroy();
      });
    });
  }

  /** The base URL a client is given (`…/v1`). */
  get baseUrl(): string {
    return `${this.url}/v1`;
  }

  async start(): Promise<this> {
    this.url = await listen(this.server, this.opts.port ?? 0);
    return this;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  script(rule: OpenAiScriptRule): void {
    this.rules.push(rule);
  }

  get models(): string[] {
    return this.opts.models ?? ['Qwen/Qwen2.5-7B-Instruct'];
  }

  private json(res: http.ServerResponse, status: number, body: unknown): void {
    sendJson(res, status, body, 'application/json');
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { url, body, invalid } = await readJsonRequest(req);
    this.requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });
    if (invalid) {
      return this.json(
        res,
        400,
        err('We could not parse the JSON body of your request.', 'invalid_request_error', null),
      );
    }
    if (this.opts.apiKey !== undefined && req.headers.authorization !== `Bearer ${this.opts.apiKey}`) {
      const message = req.headers.authorization
        ? 'Incorrect API key provided.'
        : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth.";
      return this.json(res, 401, err(message, 'invalid_request_error', 'invalid_api_key'));
    }
    if (req.method === 'GET' && url.pathname === '/v1/models') {
      return this.json(res, 200, {
        object: 'list',
        data: this.models.map((id) => ({ id, object: 'model', created: 1_767_225_600, owned_by: 'emulator' })),
      });
    }
    if (req.method === 'POST' && url.pathname === '/v1/chat/completions') return this.completions(res, body ?? {});
    return this.json(
      res,
      404,
      err(`Unknown route ${req.method} ${url.pathname}`, 'invalid_request_error', 'not_found'),
    );
  }

  /** The request as a strict server checks it; the error body when it is wrong. */
  private validate(b: Json): Json | null {
    if (typeof b.model !== 'string') return err('model is required', 'invalid_request_error', null, 'model');
    if (!Array.isArray(b.messages) || b.messages.length === 0) {
      return err('messages must be a non-empty array', 'invalid_request_error', null, 'messages');
    }
    const calls = new Set<string>();
    for (const [i, m] of (b.messages as Json[]).entries()) {
      if (!['system', 'user', 'assistant', 'tool'].includes(String(m.role))) {
        return err(`messages[${i}].role is invalid`, 'invalid_request_error', null, `messages.${i}.role`);
      }
      if (m.role === 'assistant' && Array.isArray(m.tool_calls)) {
        for (const c of m.tool_calls as Json[]) {
          const fn = c.function as Json | undefined;
          if (typeof c.id !== 'string' || c.type !== 'function' || typeof fn?.arguments !== 'string') {
            return err(
              `messages[${i}].tool_calls: each needs id, type "function" and string arguments`,
              'invalid_request_error',
              null,
              `messages.${i}.tool_calls`,
            );
          }
          calls.add(c.id);
        }
      } else if (m.role === 'tool') {
        if (typeof m.tool_call_id !== 'string' || !calls.has(m.tool_call_id)) {
          return err(
            `messages[${i}]: a tool message must answer a preceding tool call (tool_call_id)`,
            'invalid_request_error',
            null,
            `messages.${i}.tool_call_id`,
          );
        }
      } else if (typeof m.content !== 'string') {
        return err(`messages[${i}].content must be a string`, 'invalid_request_error', null, `messages.${i}.content`);
      }
    }
    if (b.tools !== undefined) {
      if (!Array.isArray(b.tools)) return err('tools must be an array', 'invalid_request_error', null, 'tools');
      for (const t of b.tools as Json[]) {
        if (t.type !== 'function' || typeof (t.function as Json | undefined)?.name !== 'string') {
          return err('each tool needs type "function" and function.name', 'invalid_request_error', null, 'tools');
        }
      }
    }
    return null;
  }

  private pick(model: string, messages: Json[]): OpenAiScriptedReply {
    const last = messages[messages.length - 1];
    const lastUser = asText([...messages].reverse().find((m) => m.role === 'user')?.content);
    const afterTool = last?.role === 'tool';
    const rule = takeRule(
      this.rules,
      lastUser,
      (r) => (!r.model || r.model === model) && (r.afterTool ?? false) === afterTool,
    );
    if (rule) return rule.reply;
    if (afterTool) return { content: `From the tool: ${asText(last?.content).slice(0, 80)}` };
    return { content: `You said: ${lastUser}` };
  }

  private async completions(res: http.ServerResponse, b: Json): Promise<void> {
    const invalid = this.validate(b);
    if (invalid) return this.json(res, 400, invalid);
    const model = b.model as string;
    if (!this.models.includes(model)) {
      return this.json(
        res,
        404,
        err(`The model \`${model}\` does not exist.`, 'invalid_request_error', 'model_not_found'),
      );
    }
    const tools = (b.tools as unknown[] | undefined) ?? [];
    if (tools.length && (this.opts.modelsWithoutTools ?? []).includes(model)) {
      return this.json(
        res,
        400,
        err(
          '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set',
          'BadRequestError',
          null,
        ),
      );
    }
    const reply = this.pick(model, b.messages as Json[]);
    if (reply.httpError) {
      const e = reply.httpError;
      if (e.status === 429) res.setHeader('retry-after', '1');
      return this.json(res, e.status, err(e.message, e.type, e.code));
    }
    const pieces = reply.tokens ?? (reply.content ?? '').split(/(?<= )/).filter((p) => p !== '');
    const calls = tools.length ? (reply.toolCalls ?? []) : [];
    const promptTokens = JSON.stringify(b.messages).length >> 2;
    const completionTokens = pieces.length + calls.length * 8;
    const id = `chatcmpl-${++this.seq}`;
    const created = Math.floor(Date.now() / 1000);
    const finish = calls.length ? 'tool_calls' : 'stop';
    if (b.stream !== true) {
      const usage = {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      };
      return this.json(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: calls.length ? null : pieces.join(''),
              ...(calls.length
                ? {
                    tool_calls: calls.map((c, i) => ({
                      id: `call_${id}_${i}`,
                      type: 'function',
                      function: { name: c.name, arguments: JSON.stringify(c.arguments) },
                    })),
                  }
                : {}),
            },
            finish_reason: finish,
            logprobs: null,
          },
        ],
        usage,
      });
    }
    const includeUsage = (b.stream_options as Json | undefined)?.include_usage === true;
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    this.inFlight++;
    this.maxStreamsInFlight = Math.max(this.maxStreamsInFlight, this.inFlight);
    let gone = false;
    res.on('close', () => (gone = true));
    const send = (choices: unknown[], extra: Json = {}): void => {
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices, ...(includeUsage ? { usage: null } : {}), ...extra })}\n\n`,
      );
    };
    try {
      if (reply.firstTokenDelayMs) await sleep(reply.firstTokenDelayMs);
      send([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null }]);
      // Real servers send these; a client must ignore them.
      res.write(': keep-alive\n\n');
      for (const [n, p] of pieces.entries()) {
        if (gone) return;
        if (reply.dropAfterTokens !== undefined && n >= reply.dropAfterTokens) {
          res.destroy();
          return;
        }
        if (this.tokenDelayMs) await sleep(this.tokenDelayMs);
        send([{ index: 0, delta: { content: p }, finish_reason: null, logprobs: null }]);
      }
      // Each call's header first, then argument pieces of all calls interleaved, later ones without `id`.
      const size = reply.argumentPieceChars ?? 3;
      const argPieces = calls.map((c) => {
        const s = JSON.stringify(c.arguments);
        const out: string[] = [];
        for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
        return out;
      });
      calls.forEach((c, i) => {
        send([
          {
            index: 0,
            delta: {
              tool_calls: [
                { index: i, id: `call_${id}_${i}`, type: 'function', function: { name: c.name, arguments: '' } },
              ],
            },
            finish_reason: null,
            logprobs: null,
          },
        ]);
      });
      const longest = Math.max(0, ...argPieces.map((a) => a.length));
      for (let k = 0; k < longest; k++) {
        for (const [i, a] of argPieces.entries()) {
          if (a[k] === undefined) continue;
          send([
            {
              index: 0,
              delta: { tool_calls: [{ index: i, function: { arguments: a[k] } }] },
              finish_reason: null,
              logprobs: null,
            },
          ]);
        }
      }
      send([{ index: 0, delta: {}, finish_reason: finish, logprobs: null }]);
      if (includeUsage) {
        res.write(
          `data: ${JSON.stringify({
            id,
            object: 'chat.completion.chunk',
            created,
            model,
            choices: [],
            usage: {
              prompt_tokens: promptTokens,
              completion_tokens: completionTokens,
              total_tokens: promptTokens + completionTokens,
            },
          })}\n\n`,
        );
      }
      res.end('data: [DONE]\n\n');
    } finally {
      this.inFlight--;
    }
  }
}

export async function startOpenAiEmulator(opts: OpenAiEmulatorOptions = {}): Promise<OpenAiCompatibleEmulator> {
  return new OpenAiCompatibleEmulator(opts).start();
}
