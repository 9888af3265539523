import type { ChatResponse, Message, ToolCall } from 'ollama';
import type { Gazetteer } from '../airquality/gazetteer/gazetteer';
import { findPlaces } from '../airquality/gazetteer/place-finder';
import { parsePollutant } from '../airquality/aqi/breakpoints';
import { describeOutcome, labelFor, type ToolActivity } from './tool-activity';
import { chartProvenance, isDataTool } from './chart-provenance';
import type { ToolRegistry } from './tools/tool-registry';
import type { OllamaToolDefinition, ToolOutcome } from './tools/tool-types';
import type { ChartSpec } from './tools/chart-tool';

/** The model may ask for tools in at most this many rounds; after that it must answer without them. */
export const MAX_TOOL_ROUNDS = 4;
/** Tool calls the model may make in one round (a model stuck in a loop can ask for dozens). */
const MAX_CALLS_PER_ROUND = 8;
/**
 * Text streams at once (time to first token matters on slow laptops). When a round that showed text turns out
 * to call tools, that preamble ("Let me check…") is retracted (`onRetract`), so the stored answer is the final
 * one. A hold-back (chars kept until the round's nature is clear) remains possible but is off by default.
 */
const HOLDBACK_CHARS = 0;

/** One streamed /api/chat call; `tools` only in rounds that offer them. */
type AgentChat = (req: {
  messages: Message[];
  tools?: OllamaToolDefinition[];
  /** The run's stop: the request is dropped even before the model's first token. */
  signal: AbortSignal;
}) => Promise<AsyncIterable<ChatResponse> & { abort(): void }>;

interface AgentRunOptions {
  chat: AgentChat;
  tools: ToolRegistry;
  gazetteer: Gazetteer;
  /** System prompt first, the newest user message last. */
  messages: Message[];
  /** Native tool calling (the model's capabilities include `tools`); otherwise the proactive path. */
  nativeTools: boolean;
  signal: AbortSignal;
  /** The conversation, for tools that read its attachments (search_documents). */
  sessionId?: string;
  /** The conversation has documents: the no-tools path looks the question up in them first. */
  hasDocuments?: boolean;
  /** Final-answer text, in order (the caller persists, then shows it). */
  onText(text: string): void;
  /** The reply's first content token arrived from the model (held back or not): the time to first token. */
  onFirstContent?(): void;
  /** Takes back text shown since `offset` (a tool round's preamble); the caller truncates and says so. */
  onRetract?(offset: number): void;
  /** Tool activity as it happens: `running`, then `done` or `error` with the same seq. */
  onTool(activity: ToolActivity): void;
  /** Called when the model turns out not to support tools (400), so the caller can remember. */
  onToolsUnsupported?(): void;
  /** Adds the proactive context (no-tools path) to the system prompt. */
  withContext(messages: Message[], context: string): Message[];
  /** Whether a failed call may be tried once more (nothing written yet); e.g. Ollama not answering. */
  shouldRetry?(err: unknown): boolean;
  retryDelayMs?: number;
  maxToolRounds?: number;
  holdbackChars?: number;
  /** Where the user is, when they chose a location (the no-tools path looks it up for questions naming no place). */
  position?: UserPosition;
}

export interface UserPosition {
  latitude: number;
  longitude: number;
}

interface AgentRunResult {
  /** Tokens generated (completion). */
  tokens: number;
  /** Prompt tokens Ollama evaluated, over every round (the seed's `tokens_used` adds them). */
  promptTokens: number;
  /** Time the provider spent generating `tokens`, over every round (ns, Ollama's `eval_duration`); 0 if unknown. */
  evalNs: number;
  /** Tool names that ran, each once, in order (the seed's `tools_used`). */
  toolsUsed: string[];
  /** Chat calls made. */
  rounds: number;
  path: 'native' | 'proactive';
}

/** Ollama's 400 for a tools request to a model without tool support. */
export function isToolsUnsupported(err: unknown): boolean {
  const e = err as { error?: unknown; message?: unknown } | null;
  const text = typeof e?.error === 'string' ? e.error : typeof e?.message === 'string' ? e.message : String(err);
  return /does not support tools/i.test(text);
}

/** Arguments in a stable form, to spot a call repeated word for word. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}

const POLLUTANT_WORD = String.raw`(pm\s?2[.,]?5|pm\s?10|ozone|o3|no2|so2|carbon monoxide|nitrogen dioxide|sulph?ur dioxide|\bco\b)`;
const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
const AFTER = new RegExp(`${POLLUTANT_WORD}[^\\d\\n]{0,24}?${NUMBER}(?!\\s*(?:days?|hours?|h\\b|km|%))`, 'i');
const BEFORE = new RegExp(
  `${NUMBER}\\s*(?:µg\\/m³|µg\\/m3|ug\\/m3|μg\\/m³|ppm|ppb)?\\s*(?:of\\s+)?${POLLUTANT_WORD}`,
  'i',
);

/** "PM2.5 of 42", "42 µg/m³ PM2.5", "ozone 0.07 ppm": a value the person wants indexed. */
export function findConcentration(text: string): { pollutant: string; value: number } | null {
  const a = AFTER.exec(text);
  if (a) {
    const p = parsePollutant(a[1]!);
    if (p) return { pollutant: p, value: Number(a[2]) };
  }
  const b = BEFORE.exec(text);
  if (b) {
    const p = parsePollutant(b[2]!);
    if (p) return { pollutant: p, value: Number(b[1]) };
  }
  return null;
}

/**
 * The agent's turn: native tool calling for models that support it (bounded rounds, parallel calls, errors
 * answered as tool results, repeats cut off), or the proactive path for models that do not (find places in
 * the question, fetch their data first and hand it to the model as context). Never throws for a tool; throws
 * what Ollama throws (the caller explains it).
 */
export async function runAgent(opts: AgentRunOptions): Promise<AgentRunResult> {
  const state = {
    tokens: 0,
    promptTokens: 0,
    evalNs: 0,
    firstContent: false,
    rounds: 0,
    written: 0,
    seq: 0,
    used: [] as string[],
    lastData: null as ToolOutcome | null,
    lastDataLabel: null as string | null,
  };
  const emitText = (t: string): void => {
    if (!t) return;
    state.written += t.length;
    opts.onText(t);
  };

  const runTool = async (name: string, args: unknown, seq: number): Promise<ToolOutcome> => {
    const label = labelFor(typeof args === 'string' ? safeParse(args) : args);
    opts.onTool({ ...blank(seq, name, label), status: 'running' });
    if (opts.tools.has(name) && !state.used.includes(name)) state.used.push(name);
    const outcome = await opts.tools.execute(name, args, { signal: opts.signal, sessionId: opts.sessionId });
    // A chart names its data: the source, place, time and freshness of the data tool that ran before it.
    const chart = outcome.ok ? (outcome.result.data as { chart?: ChartSpec } | undefined)?.chart : undefined;
    if (chart && chart.type === 'chart') chart.provenance = chartProvenance(state.lastData, state.lastDataLabel);
    else if (outcome.ok && isDataTool(name)) {
      state.lastData = outcome;
      state.lastDataLabel = label;
    }
    const d = describeOutcome(outcome);
    opts.onTool({
      ...blank(seq, name, label),
      ...d,
      status: outcome.ok ? 'done' : 'error',
      durationMs: outcome.durationMs,
    });
    return outcome;
  };

  /** One chat call; text goes out live (after the hold-back when tools are offered). */
  const round = async (
    messages: Message[],
    tools: OllamaToolDefinition[] | undefined,
  ): Promise<{ text: string; calls: ToolCall[] }> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await streamRound(messages, tools);
      } catch (err) {
        // Only before anything was shown: a retry after text would repeat it.
        const retriable =
          attempt === 0 && state.written === 0 && !opts.signal.aborted && (opts.shouldRetry?.(err) ?? false);
        if (!retriable) throw err;
        await sleep(opts.retryDelayMs ?? 1000, opts.signal);
      }
    }
  };

  const streamRound = async (
    messages: Message[],
    tools: OllamaToolDefinition[] | undefined,
  ): Promise<{ text: string; calls: ToolCall[] }> => {
    state.rounds++;
    if (opts.signal.aborted) return { text: '', calls: [] };
    const stream = await opts.chat({ messages, ...(tools ? { tools } : {}), signal: opts.signal });
    const onAbort = (): void => stream.abort();
    // A stop that came while the request was opening (a chat that takes no signal) ends it here.
    if (opts.signal.aborted) {
      stream.abort();
      return { text: '', calls: [] };
    }
    opts.signal.addEventListener('abort', onAbort, { once: true });
    const holdback = tools ? (opts.holdbackChars ?? HOLDBACK_CHARS) : 0;
    const roundStart = state.written;
    let text = '';
    let held = '';
    let committed = holdback === 0;
    const calls: ToolCall[] = [];
    try {
      for await (const chunk of stream) {
        const piece = chunk.message?.content ?? '';
        if (chunk.message?.tool_calls?.length) calls.push(...chunk.message.tool_calls);
        if (piece) {
          if (!state.firstContent) {
            state.firstContent = true;
            opts.onFirstContent?.();
          }
          text += piece;
          if (committed) emitText(piece);
          else {
            held += piece;
            if (held.length >= holdback && calls.length === 0) {
              committed = true;
              emitText(held);
              held = '';
            }
          }
        }
        if (chunk.done) {
          state.tokens += chunk.eval_count ?? 0;
          state.promptTokens += chunk.prompt_eval_count ?? 0;
          state.evalNs += chunk.eval_duration ?? 0;
        }
      }
    } catch (err) {
      // Keep what was written before a failure or a stop, as a reply without tools would.
      if (calls.length === 0) emitText(held);
      throw err;
    } finally {
      opts.signal.removeEventListener('abort', onAbort);
    }
    // A round that called tools was not the answer: its text is only for the model's history.
    if (calls.length === 0 || !tools) emitText(held);
    else if (state.written > roundStart && opts.onRetract) {
      state.written = roundStart;
      opts.onRetract(roundStart);
    }
    if (!tools) return { text, calls: [] };
    return { text, calls };
  };

  const proactive = async (): Promise<AgentRunResult> => {
    const question = [...opts.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const context = await proactiveContext(
      question,
      opts.gazetteer,
      (name, args) => runTool(name, args, ++state.seq),
      opts.hasDocuments === true && opts.tools.has('search_documents'),
      opts.position,
    );
    const messages = context ? opts.withContext(opts.messages, context) : opts.messages;
    if (!opts.signal.aborted) await round(messages, undefined);
    return {
      tokens: state.tokens,
      promptTokens: state.promptTokens,
      evalNs: state.evalNs,
      toolsUsed: state.used,
      rounds: state.rounds,
      path: 'proactive',
    };
  };

  if (!opts.nativeTools) return proactive();

  const definitions = opts.tools.definitions();
  const messages = [...opts.messages];
  const seen = new Set<string>();
  const maxRounds = opts.maxToolRounds ?? MAX_TOOL_ROUNDS;
  let toolRounds = 0;
  let loopCut = false;
  for (;;) {
    const offer = toolRounds < maxRounds && !loopCut && !opts.signal.aborted;
    let r: { text: string; calls: ToolCall[] };
    try {
      r = await round(messages, offer ? definitions : undefined);
    } catch (err) {
      if (offer && toolRounds === 0 && state.written === 0 && isToolsUnsupported(err)) {
        opts.onToolsUnsupported?.();
        return proactive();
      }
      throw err;
    }
    if (r.calls.length === 0 || opts.signal.aborted) break;
    toolRounds++;
    const calls = r.calls.slice(0, MAX_CALLS_PER_ROUND);
    messages.push({ role: 'assistant', content: r.text, tool_calls: calls });
    let fresh = 0;
    // Independent calls of one round run side by side; results go back in the order they were asked.
    const results = await Promise.all(
      calls.map(async (call) => {
        const name = String(call.function?.name ?? '');
        const args: unknown = call.function?.arguments ?? {};
        const key = `${name}:${canonical(typeof args === 'string' ? safeParse(args) : args)}`;
        if (seen.has(key)) {
          return {
            name,
            content: JSON.stringify({
              ok: false,
              error: {
                code: 'repeated_call',
                message: `${name} was already called with these arguments; its result is above.`,
                hint: 'Do not call it again: answer the user from the results you have.',
              },
            }),
          };
        }
        seen.add(key);
        fresh++;
        const o = await runTool(name, args, ++state.seq);
        return { name, content: o.content };
      }),
    );
    for (const res of results) messages.push({ role: 'tool', content: res.content, tool_name: res.name });
    // Every call repeated an earlier one: the model is looping. The next round must answer without tools.
    if (fresh === 0) loopCut = true;
  }
  return {
    tokens: state.tokens,
    promptTokens: state.promptTokens,
    evalNs: state.evalNs,
    toolsUsed: state.used,
    rounds: state.rounds,
    path: 'native',
  };
}

function blank(seq: number, name: string, label: string | null): ToolActivity {
  return {
    seq,
    name,
    status: 'running',
    durationMs: null,
    label,
    sources: [],
    cached: false,
    stale: false,
    summary: null,
    aqi: null,
    chart: null,
  };
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
}

/** How much of one tool result a small model gets in its prompt. */
const CONTEXT_CHARS_PER_TOOL = 2400;

/**
 * The no-tools path (gemma:2b, phi3): places named in the question get their current air quality, a
 * concentration asked about gets its AQI, all fetched before the model writes a word.
 */
export async function proactiveContext(
  question: string,
  gazetteer: Gazetteer,
  run: (name: string, args: Record<string, unknown>) => Promise<ToolOutcome>,
  searchDocuments = false,
  position?: UserPosition,
): Promise<string> {
  const places = findPlaces(question, gazetteer, 3);
  const jobs: Array<Promise<{ title: string; outcome: ToolOutcome }>> = places.map(async (p) => ({
    title: `Current air quality in ${p.place.name}, ${p.place.countryName}`,
    outcome: await run('get_city_air_quality', { city: `${p.place.name}, ${p.place.countryName}` }),
  }));
  // A question that names no place is about where the user is, when the app knows it ("how is the air here?").
  if (places.length === 0 && position) {
    jobs.push(
      run('get_air_quality_by_coordinates', { latitude: position.latitude, longitude: position.longitude }).then(
        (outcome) => ({
          title: `Current air quality at the user's location (${position.latitude}, ${position.longitude})`,
          outcome,
        }),
      ),
    );
  }
  const conc = findConcentration(question);
  if (conc) {
    jobs.push(
      run('compute_aqi', { pollutant: conc.pollutant, value: conc.value }).then((outcome) => ({
        title: `US EPA AQI for ${conc.pollutant} = ${conc.value}`,
        outcome,
      })),
    );
  }
  if (searchDocuments && question.trim().length >= 2) {
    jobs.push(
      run('search_documents', { query: question.slice(0, 500) }).then((outcome) => ({
        title: 'Passages from the attached documents (cite them as given in `cite`)',
        outcome,
      })),
    );
  }
  if (jobs.length === 0) return '';
  const results = await Promise.all(jobs);
  return results
    .map(({ title, outcome }) => {
      // Passages are the answer's source: they get a larger share of the context than a data lookup.
      const cap = outcome.name === 'search_documents' ? CONTEXT_CHARS_PER_TOOL * 3 : CONTEXT_CHARS_PER_TOOL;
      const body = outcome.content.length > cap ? `${outcome.content.slice(0, cap)}…` : outcome.content;
      return `### ${title} (${outcome.name})\n${body}`;
    })
    .join('\n\n');
}
