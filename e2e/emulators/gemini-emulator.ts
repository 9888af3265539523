/**
 * A loopback stand-in for the Gemini API (generativelanguage.googleapis.com, v1beta) as `@google/genai`
 * calls it: `GET /v1beta/models`, `POST /v1beta/models/{model}:streamGenerateContent?alt=sse` (SSE
 * `data: {GenerateContentResponse}` records, no `[DONE]`: the stream's end is the end; the last record has
 * `finishReason` and `usageMetadata`) and `:generateContent`. Function calls come back whole as
 * `functionCall {name, args}` parts. The key travels in `x-goog-api-key` (or `?key=`); errors are
 * `{error: {code, message, status}}` (403 PERMISSION_DENIED without a key, 400 INVALID_ARGUMENT for a wrong
 * one, 404 NOT_FOUND, 429 RESOURCE_EXHAUSTED). A `functionResponse` must answer a call the model made.
 */
import http from 'node:http';
import { closeServer, listen, readJsonRequest, sendJson, sleep, takeRule } from './http-util';

/** A JSON value as text: strings as they are, anything else as JSON (never "[object Object]"). */
const asText = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);

interface GeminiScriptedReply {
  content?: string;
  functionCalls?: Array<{ name: string; args: Record<string, unknown> }>;
  httpError?: { status: number; message: string; status_text: string };
}

interface GeminiScriptRule {
  match?: string | RegExp;
  /** Only when the last turn carries function responses. */
  afterTool?: boolean;
  reply: GeminiScriptedReply;
  times?: number;
}

interface GeminiRecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown> | null;
}

type Json = Record<string, unknown>;

const gErr = (code: number, message: string, status: string): Json => ({ error: { code, message, status } });

export class GeminiEmulator {
  private readonly server: http.Server;
  url = '';
  readonly requests: GeminiRecordedRequest[] = [];
  private rules: GeminiScriptRule[] = [];
  tokenDelayMs = 0;

  constructor(
    private readonly apiKey: string,
    readonly models: string[] = ['gemini-2.5-flash'],
  ) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) this.json(res, 500, gErr(500, String(e), 'INTERNAL'));
        else res.destroy();
      });
    });
  }

  async start(port = 0): Promise<this> {
    this.url = await listen(this.server, port);
    return this;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  script(rule: GeminiScriptRule): void {
    this.rules.push(rule);
  }

  private json(res: http.ServerResponse, status: number, body: unknown): void {
    sendJson(res, status, body, 'application/json; charset=UTF-8');
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { url, body, invalid } = await readJsonRequest(req);
    this.requests.push({ method: req.method ?? '', path: url.pathname + url.search, headers: req.headers, body });
    if (invalid) return this.json(res, 400, gErr(400, 'Invalid JSON payload received.', 'INVALID_ARGUMENT'));
    const key = (req.headers['x-goog-api-key'] as string | undefined) ?? url.searchParams.get('key');
    if (!key) {
      return this.json(
        res,
        403,
        gErr(
          403,
          "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
          'PERMISSION_DENIED',
        ),
      );
    }
    if (key !== this.apiKey) {
      return this.json(res, 400, gErr(400, 'API key not valid. Please pass a valid API key.', 'INVALID_ARGUMENT'));
    }
    if (req.method === 'GET' && url.pathname === '/v1beta/models') {
      return this.json(res, 200, {
        models: this.models.map((m) => ({
          name: `models/${m}`,
          version: '001',
          displayName: m,
          inputTokenLimit: 1_048_576,
          outputTokenLimit: 65_536,
          supportedGenerationMethods: ['generateContent', 'countTokens'],
        })),
      });
    }
    const route = /^\/v1beta\/models\/([^:/]+):(streamGenerateContent|generateContent)$/.exec(url.pathname);
    if (req.method === 'POST' && route)
      return this.generate(res, route[1]!, route[2] === 'streamGenerateContent', url, body ?? {});
    return this.json(res, 404, gErr(404, `Requested entity was not found.`, 'NOT_FOUND'));
  }

  private validate(b: Json): string | null {
    if (!Array.isArray(b.contents) || b.contents.length === 0)
      return '* GenerateContentRequest.contents: contents is not specified';
    const called = new Set<string>();
    for (const [i, c] of (b.contents as Json[]).entries()) {
      if (c.role !== 'user' && c.role !== 'model')
        return `* GenerateContentRequest.contents[${i}].role: must be user or model`;
      if (!Array.isArray(c.parts) || c.parts.length === 0)
        return `* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`;
      for (const p of c.parts as Json[]) {
        const call = p.functionCall as Json | undefined;
        const answer = p.functionResponse as Json | undefined;
        if (call) {
          if (c.role !== 'model' || typeof call.name !== 'string')
            return `* contents[${i}]: functionCall only in model turns`;
          called.add(call.name);
        }
        if (answer) {
          if (typeof answer.name !== 'string' || !called.has(answer.name)) {
            return `* contents[${i}]: functionResponse.name must answer a functionCall of an earlier model turn`;
          }
          if (!answer.response || typeof answer.response !== 'object')
            return `* contents[${i}]: functionResponse.response must be an object`;
        }
      }
    }
    return null;
  }

  private pick(contents: Json[]): GeminiScriptedReply {
    const last = contents[contents.length - 1];
    const afterTool = ((last?.parts as Json[] | undefined) ?? []).some((p) => p.functionResponse);
    const userText =
      [...contents]
        .reverse()
        .map((c) =>
          ((c.parts as Json[] | undefined) ?? []).find((p) => typeof p.text === 'string' && c.role === 'user'),
        )
        .find((p) => p)?.text ?? '';
    const rule = takeRule(this.rules, asText(userText), (r) => (r.afterTool ?? false) === afterTool);
    if (rule) return rule.reply;
    if (afterTool)
      return {
        content: `From the function: ${JSON.stringify((last?.parts as Json[])[0]?.functionResponse).slice(0, 80)}`,
      };
    return { content: `You said: ${asText(userText)}` };
  }

  private async generate(res: http.ServerResponse, model: string, stream: boolean, url: URL, b: Json): Promise<void> {
    if (!this.models.includes(model)) {
      return this.json(
        res,
        404,
        gErr(
          404,
          `models/${model} is not found for API version v1beta, or is not supported for generateContent.`,
          'NOT_FOUND',
        ),
      );
    }
    const invalid = this.validate(b);
    if (invalid) return this.json(res, 400, gErr(400, `Invalid value at ${invalid}`, 'INVALID_ARGUMENT'));
    const hasTools = Array.isArray(b.tools) && b.tools.length > 0;
    const reply = this.pick(b.contents as Json[]);
    if (reply.httpError)
      return this.json(
        res,
        reply.httpError.status,
        gErr(reply.httpError.status, reply.httpError.message, reply.httpError.status_text),
      );
    const pieces = (reply.content ?? '').split(/(?<= )/).filter((p) => p !== '');
    const calls = hasTools ? (reply.functionCalls ?? []) : [];
    const usage = {
      promptTokenCount: JSON.stringify(b.contents).length >> 2,
      candidatesTokenCount: pieces.length + calls.length * 8,
      totalTokenCount: (JSON.stringify(b.contents).length >> 2) + pieces.length + calls.length * 8,
    };
    const record = (parts: Json[], finish: boolean): Json => ({
      candidates: [{ content: { parts, role: 'model' }, ...(finish ? { finishReason: 'STOP' } : {}), index: 0 }],
      usageMetadata: finish
        ? usage
        : { promptTokenCount: usage.promptTokenCount, totalTokenCount: usage.promptTokenCount },
      modelVersion: model,
      responseId: `resp-${Date.now()}`,
    });
    const callParts = calls.map((c) => ({ functionCall: { name: c.name, args: c.args } }));
    if (!stream)
      return this.json(res, 200, record([...(pieces.length ? [{ text: pieces.join('') }] : []), ...callParts], true));
    if (url.searchParams.get('alt') !== 'sse') {
      return this.json(
        res,
        400,
        gErr(400, 'This emulator streams only with alt=sse, as @google/genai asks.', 'INVALID_ARGUMENT'),
      );
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    let gone = false;
    res.on('close', () => (gone = true));
    const all: Json[][] = pieces.map((p) => [{ text: p }]);
    if (callParts.length) all.push(callParts);
    if (all.length === 0) all.push([{ text: '' }]);
    for (const [i, parts] of all.entries()) {
      if (gone) return;
      if (this.tokenDelayMs) await sleep(this.tokenDelayMs);
      res.write(`data: ${JSON.stringify(record(parts, i === all.length - 1))}\r\n\r\n`);
    }
    res.end();
  }
}

export async function startGeminiEmulator(apiKey: string, models?: string[]): Promise<GeminiEmulator> {
  return new GeminiEmulator(apiKey, models).start();
}
