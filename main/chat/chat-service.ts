import { engineMessage } from '../../preload/shared/engine-messages';
import type { Tool } from 'ollama';
import type { Gazetteer } from '../airquality/gazetteer/gazetteer';
import { runAgent, type UserPosition } from '../agent/agent-loop';
import { ModelCapabilities } from '../agent/model-capabilities';
import type { ToolActivity } from '../agent/tool-activity';
import type { ToolRegistry } from '../agent/tools/tool-registry';
import type { Clock } from '../core/clock';
import { diskFullError, isDiskFull, type DiskFullState } from '../core/disk-full';
import { AppError, errorMessage, isAppError } from '../core/errors';
import type { ComponentLogger } from '../core/logger';
import type { OllamaGateway } from '../ollama/ollama-gateway';
import { explainOllamaError } from '../ollama/ollama-errors';
import type { ProviderRouter } from '../providers/provider-router';
import type { ProviderId } from '../providers/provider-types';
import type { Store } from '../store/store';
import type { MessageRecord, SessionRecord } from '../store/types';
import type { ChatEvent, ChatResult } from './chat-events';
import { mergeChatSettings, withChatInstructions, withChatOptions, type ChatSettingsPatch } from './chat-settings';
import type { ChatSettings } from '../../preload/shared/chat-settings';
import { buildHistory } from './history';
import { tuningFor } from './model-tuning';
import { pickNewChatModel } from './new-chat-model';
import { ReplySpeed } from './reply-speed';
import { assertWithinLimit, limitWarning, limitWarningText, type SessionLimitPolicy } from './session-limits';
import { isStyleName, type StyleName } from '../../preload/shared/style-presets';
import type { UiLanguage } from '../../preload/shared/ui-languages';
import { buildSystemPrompt, withDataContext } from './system-prompt';
import { ReplyRowsOnce, type ReplyRows } from './reply-rows';
import { StreamWriter } from './stream-writer';
import { randomUUID } from 'node:crypto';

const MAX_MESSAGE_CHARS = 32_000;
const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

interface ChatServiceDeps {
  store: Store;
  ollama: OllamaGateway;
  clock: Clock;
  logger: ComponentLogger;
  limits: SessionLimitPolicy;
  defaults: () => { model: string | null; style: StyleName; location: string | null; language?: UiLanguage | null };
  emit: (event: ChatEvent) => void;
  /** The agent's tools (native tool calling, or fetched first for models without it). */
  tools: ToolRegistry;
  /** Finds places in a question for the no-tools path. */
  gazetteer: Gazetteer;
  /** Tool support per model; one is made from `ollama` when absent. */
  capabilities?: ModelCapabilities;
  /** Told when a write fails for lack of space (and when one succeeds again), for health. */
  disk?: DiskFullState;
  /** Whether a conversation has documents to search (its own or shared): the prompt asks for citations. */
  hasDocuments?: (sessionId: string) => boolean;
  /** Providers (Ollama, OpenAI-compatible, Gemini) with the fallback order; without it, Ollama alone as before. */
  providers?: ProviderRouter;
  /** Bytes a model may weigh and still run well here (picks the default among tool-capable models). */
  modelBudgetBytes?: () => number | null;
  /** Installed models ranked by the hardware advisor for this machine, best first; null when it cannot say. */
  advisorOrder?: () => Promise<readonly string[] | null>;
}

export interface SendInput {
  sessionId?: string;
  message: string;
  model?: string;
  style?: string;
  /** `ollama`, `openai-compatible` or `gemini`; kept for the chat like its model. */
  provider?: string;
  /** Where the user is ("my location"), for questions about "here"; used only when both are given. */
  latitude?: number;
  longitude?: number;
  /** The UI's language; the reply is asked for in it (else the uiLanguage setting). */
  language?: UiLanguage;
}

/** A reply that has started: ids to follow it, and a promise that settles when it ends. */
export interface ChatHandle {
  streamId: string;
  sessionId: string;
  userMessageId: number | null;
  assistantMessageId: number;
  model: string;
  done: Promise<ChatResult>;
  /** Per-reply listener, for shells that stream one reply (SSE, the CLI). */
  subscribe(fn: (e: ChatEvent) => void): () => void;
}

interface ActiveStream {
  abort: AbortController;
  sessionId: string;
}

/** What a reply is asked with, and how its rows are saved (see ReplyRowsOnce). */
interface ReplyPlan {
  sessionId: string;
  model: string;
  provider: ProviderId;
  /** The chat's style (the default when it names none we know). */
  style: string;
  /** The user's new question, saved with the reply's rows; null when it is saved already (regenerate, edit). */
  question: string | null;
  /** A chat this question starts: it has no earlier messages or settings to read. */
  newChat: boolean;
  save: () => ReplyRows;
  position?: UserPosition;
  language?: UiLanguage;
}

/** A chat event without the reply's ids, which are added once its rows are saved. */
type ChatEventBody = ChatEvent extends infer E
  ? E extends ChatEvent
    ? Omit<E, 'streamId' | 'sessionId' | 'messageId'>
    : never
  : never;

export class ChatService {
  private readonly active = new Map<string, ActiveStream>();
  /** Replies whose final status could not be saved (a full disk): saved at the next chance. */
  private readonly unsaved = new Map<number, () => void>();
  /** Numbers the keys of replies whose rows are not saved yet. */
  private unsavedReplies = 0;
  readonly capabilities: ModelCapabilities;

  constructor(private readonly deps: ChatServiceDeps) {
    this.capabilities = deps.capabilities ?? new ModelCapabilities(deps.ollama);
  }

  /** Sessions with a reply in progress (a restore must wait for them). */
  get activeCount(): number {
    return this.active.size;
  }

  isStreaming(sessionId: string): boolean {
    for (const s of this.active.values()) if (s.sessionId === sessionId) return true;
    return false;
  }

  async send(input: SendInput): Promise<ChatHandle> {
    const message = input.message ?? '';
    if (message.trim() === '')
      throw new AppError('bad_request', 'The message is empty.', {}, engineMessage('error.messageEmpty', {}));
    if (message.length > MAX_MESSAGE_CHARS) {
      throw new AppError(
        'payload_too_large',
        `The message is ${message.length} characters; the limit is ${MAX_MESSAGE_CHARS}.`,
        {},
        engineMessage('error.messageTooLong', { length: message.length, limit: MAX_MESSAGE_CHARS }),
      );
    }
    if (input.style !== undefined && !isStyleName(input.style)) {
      throw new AppError(
        'bad_request',
        `Unknown style "${input.style}".`,
        {},
        engineMessage('error.unknownStyle', { style: input.style }),
      );
    }
    const { store } = this.deps;
    let session: SessionRecord | null = null;
    if (input.sessionId !== undefined) {
      if (!SESSION_ID.test(input.sessionId)) {
        throw new AppError(
          'bad_request',
          'session_id must be 1–64 letters, digits, "-" or "_".',
          {},
          engineMessage('error.badSessionId', {}),
        );
      }
      session = store.sessions.get(input.sessionId);
    }
    assertWithinLimit(this.deps.limits, session?.messageCount ?? 0);
    if (session && this.isStreaming(session.id)) {
      throw new AppError(
        'conflict',
        'A reply is still being written in this session. Stop it or wait.',
        {},
        engineMessage('error.replyInProgress', {}),
      );
    }
    // A chat keeps the provider it was started with (chats from before providers were Ollama's).
    const sessionProvider = session ? (this.deps.store.providers.forSession(session.id) ?? 'ollama') : null;
    const provider = this.deps.providers?.providerFor(input.provider, sessionProvider) ?? 'ollama';
    // A chat moved to another provider leaves its old model behind.
    const switched = session !== null && provider !== sessionProvider;
    const model = await this.resolveModel(
      input.model ?? (switched ? undefined : session?.model) ?? undefined,
      provider,
    );
    const style = input.style ?? session?.style ?? this.deps.defaults().style;

    // One transaction for the session, the question and the reply's row, run once the model has been asked
    // (ReplyRowsOnce). The seed's API lets a client name its session; an unknown name starts that session.
    const existing = session;
    const sessionId = existing?.id ?? input.sessionId ?? randomUUID();
    this.saveUnsaved();
    const create = store.db.transaction((): ReplyRows => {
      let s = existing;
      if (!s) {
        s = store.sessions.create({
          id: sessionId,
          title: titleFrom(message),
          model,
          style,
        });
        if (this.deps.providers) store.providers.setForSession(s.id, provider);
      } else {
        if (input.model && input.model !== s.model) store.sessions.setModel(s.id, input.model);
        if (switched) {
          store.providers.setForSession(s.id, provider);
          store.sessions.setModel(s.id, model);
        }
        if (input.style && input.style !== s.style) store.sessions.setStyle(s.id, input.style);
        if (!s.title) store.sessions.rename(s.id, titleFrom(message));
      }
      const user = store.messages.insert({ sessionId: s.id, role: 'user', content: message });
      return { sessionId: s.id, userId: user.id, assistant: this.insertReply(s.id, model) };
    });
    const position =
      typeof input.latitude === 'number' &&
      typeof input.longitude === 'number' &&
      Math.abs(input.latitude) <= 90 &&
      Math.abs(input.longitude) <= 180
        ? { latitude: input.latitude, longitude: input.longitude }
        : undefined;
    return this.generate({
      sessionId,
      model,
      provider,
      style,
      question: message,
      newChat: existing === null,
      save: () => this.saving('chat message', create),
      position,
      language: input.language,
    });
  }

  /** Replaces the last reply of a session with a new one. */
  async regenerate(sessionId: string, model?: string, language?: UiLanguage): Promise<ChatHandle> {
    const session = this.requireIdle(sessionId);
    const messages = this.deps.store.messages.recent(sessionId, 2);
    const lastUser = [...messages].reverse().find((m) => m.role === 'user');
    const last = messages[messages.length - 1];
    if (!lastUser || !last)
      throw new AppError(
        'bad_request',
        'There is no question to answer again.',
        {},
        engineMessage('error.nothingToAnswerAgain', {}),
      );
    const provider = this.providerOf(sessionId);
    const chosen = await this.resolveModel(model ?? session.model ?? undefined, provider);
    if (last.role === 'assistant') {
      // The answer being replaced is kept as an earlier version of this question's answer (‹1/2› in the chat).
      if (last.content.trim() !== '') {
        const old = last;
        this.saving('earlier answer', () => this.deps.store.answerVersions.keep(lastUser.id, old));
      }
      this.deps.store.messages.deleteFrom(sessionId, last.id);
    }
    this.saveUnsaved();
    return this.answerAgain(session, chosen, provider, null, language);
  }

  /** Edits one of the user's messages, drops everything after it, and answers again. */
  async editAndResend(messageId: number, content: string, language?: UiLanguage): Promise<ChatHandle> {
    if (content.trim() === '')
      throw new AppError('bad_request', 'The message is empty.', {}, engineMessage('error.messageEmpty', {}));
    if (content.length > MAX_MESSAGE_CHARS) {
      throw new AppError(
        'payload_too_large',
        `The message is longer than ${MAX_MESSAGE_CHARS} characters.`,
        {},
        engineMessage('error.editTooLong', { limit: MAX_MESSAGE_CHARS }),
      );
    }
    const msg = this.deps.store.messages.get(messageId);
    if (!msg)
      throw new AppError(
        'not_found',
        `Message ${messageId} does not exist.`,
        {},
        engineMessage('error.messageNotFound', { id: messageId }),
      );
    if (msg.role !== 'user')
      throw new AppError(
        'bad_request',
        'Only your own messages can be edited.',
        {},
        engineMessage('error.onlyOwnEdit', {}),
      );
    const session = this.requireIdle(msg.sessionId);
    const provider = this.providerOf(msg.sessionId);
    const model = await this.resolveModel(session.model ?? undefined, provider);
    this.saveUnsaved();
    this.saving('chat message', () => this.deps.store.messages.setContent(messageId, content));
    this.deps.store.answerVersions.clear(messageId);
    this.deps.store.messages.deleteFrom(msg.sessionId, messageId + 1);
    return this.answerAgain(session, model, provider, messageId, language);
  }

  /** The chat's own settings ({} = all defaults). */
  settings(sessionId: string): ChatSettings {
    this.requireSession(sessionId);
    return this.deps.store.chatSettings.get(sessionId);
  }

  /**
   * Changes the chat's own settings (null clears one); checked whole before anything is saved, with the context
   * length against the chat's model when Ollama says how much it reads. They apply from the next reply.
   */
  async setSettings(sessionId: string, patch: ChatSettingsPatch): Promise<ChatSettings> {
    const session = this.requireSession(sessionId);
    const { store } = this.deps;
    const model =
      patch.contextLength != null && session.model && this.providerOf(sessionId) === 'ollama'
        ? { name: session.model, contextLength: await this.capabilities.contextLength(session.model) }
        : null;
    const next = mergeChatSettings(store.chatSettings.get(sessionId), patch, model);
    this.saving('chat settings', () => store.chatSettings.set(sessionId, next));
    return store.chatSettings.get(sessionId);
  }

  stop(streamId: string): boolean {
    const s = this.active.get(streamId);
    if (!s) return false;
    s.abort.abort();
    return true;
  }

  stopAll(): void {
    for (const s of this.active.values()) s.abort.abort();
  }

  /** Runs a write; a full disk comes out as the app's `disk_full` error and is noted for health. */
  private saving<T>(what: string, write: () => T): T {
    try {
      return write();
    } catch (err) {
      throw this.diskFull(err, what) ?? err;
    }
  }

  /** The `disk_full` error for `err` (noted for health), or null when `err` is something else. */
  private diskFull(err: unknown, what: string): AppError | null {
    if (!isDiskFull(err)) return null;
    this.deps.disk?.noteFailure(err, what);
    return isAppError(err) ? err : diskFullError(this.deps.disk?.dir);
  }

  /** Retries final statuses a full disk kept from being saved, so no row stays `streaming` while we run. */
  private saveUnsaved(): void {
    for (const [id, save] of this.unsaved) {
      try {
        save();
        this.unsaved.delete(id);
      } catch {
        return;
      }
    }
  }

  /** Saves a reply's final status; when even that fails, it is retried before the next message. */
  private finishReply(id: number, save: () => void): void {
    try {
      save();
    } catch (err) {
      this.diskFull(err, 'chat reply');
      this.deps.logger.error('could not save the end of a reply', { messageId: id, cause: errorMessage(err) });
      this.unsaved.set(id, save);
    }
  }

  private requireSession(sessionId: string): SessionRecord {
    const session = SESSION_ID.test(sessionId) ? this.deps.store.sessions.get(sessionId) : null;
    if (!session)
      throw new AppError(
        'not_found',
        `Session ${sessionId} does not exist.`,
        {},
        engineMessage('error.sessionNotFound', { id: sessionId }),
      );
    return session;
  }

  private requireIdle(sessionId: string): SessionRecord {
    const session = this.requireSession(sessionId);
    if (this.isStreaming(sessionId)) {
      throw new AppError(
        'conflict',
        'A reply is still being written in this session. Stop it or wait.',
        {},
        engineMessage('error.replyInProgress', {}),
      );
    }
    return session;
  }

  /** The chat's own provider (chats from before providers were Ollama's). */
  private providerOf(sessionId: string): ProviderId {
    return (
      this.deps.providers?.providerFor(undefined, this.deps.store.providers.forSession(sessionId) ?? 'ollama') ??
      'ollama'
    );
  }

  /** The model a chat started without one uses (see pickNewChatModel); null when none is installed. */
  async newChatModel(): Promise<string | null> {
    const preferred = this.deps.defaults().model;
    let installed;
    try {
      installed = await this.deps.ollama.listInstalled();
    } catch (err) {
      // Ollama is down: the chosen default, else the last pick, stands, so the question is kept and the reply
      // says Ollama is unreachable under it (rather than the send failing before anything is saved).
      const known = preferred ?? this.lastNewChatModel;
      if (known) return known;
      throw err;
    }
    this.lastNewChatModel = await pickNewChatModel({
      installed,
      preferred,
      supportsTools: (m) => this.capabilities.supportsTools(m),
      budgetBytes: this.deps.modelBudgetBytes?.() ?? null,
      advisorOrder: (await this.deps.advisorOrder?.()) ?? null,
    });
    return this.lastNewChatModel;
  }

  /** The model newChatModel picked last while Ollama answered. */
  private lastNewChatModel: string | null = null;

  private async resolveModel(requested: string | undefined, provider: ProviderId = 'ollama'): Promise<string> {
    if (requested) return requested;
    if (provider !== 'ollama') {
      const configured = this.deps.providers?.modelFor(provider);
      if (configured) return configured;
      throw new AppError(
        'model_not_found',
        `No model is set for ${provider}: choose one in Settings or with --model.`,
        {},
        engineMessage('error.noModelForProvider', { provider }),
      );
    }
    const chosen = await this.newChatModel();
    if (!chosen) {
      throw new AppError(
        'model_not_found',
        'No model is installed in Ollama yet. Pull one from the Models page (qwen2.5:3b suits most laptops).',
        {},
        engineMessage('error.noModelInstalled', {}),
      );
    }
    return chosen;
  }

  /** The empty row a reply is written into. */
  private insertReply(sessionId: string, model: string): MessageRecord {
    return this.deps.store.messages.insert({ sessionId, role: 'assistant', content: '', status: 'streaming', model });
  }

  /** A new reply to a question that is saved already (regenerate, edit-and-resend). */
  private answerAgain(
    session: SessionRecord,
    model: string,
    provider: ProviderId,
    userId: number | null,
    language: UiLanguage | undefined,
  ): Promise<ChatHandle> {
    return this.generate({
      sessionId: session.id,
      model,
      provider,
      style: session.style,
      question: null,
      newChat: false,
      save: () => ({
        sessionId: session.id,
        userId,
        assistant: this.saving('chat reply', () => this.insertReply(session.id, model)),
      }),
      language,
    });
  }

  private async generate(plan: ReplyPlan): Promise<ChatHandle> {
    const { store, clock } = this.deps;
    const { sessionId, model, position, language } = plan;
    const abort = new AbortController();
    const entry: ActiveStream = { abort, sessionId };
    // Until its rows are saved the reply has no id: it is kept under a key of its own (isStreaming sees it).
    let activeKey = `unsaved-${++this.unsavedReplies}`;
    this.active.set(activeKey, entry);
    const listeners = new Set<(e: ChatEvent) => void>();
    // The reply starts at once and send() returns once the model has been asked (time to first token), so events
    // can come before the caller of send(), several awaits away, has subscribed. Until then they are kept and
    // handed to each new subscriber first; after it, events go out live only.
    let early: ChatEvent[] | null = [];
    // The model's request written (node:http writes it to a kept-alive connection in the tick after the call), or
    // a macrotask when the reply fetches data or fails first: the caller's work after send() (subscribing, writing
    // events) then no longer holds up the request, and nothing waits on a slow first step.
    let markAsked = (): void => {};
    const asked = new Promise<void>((resolve) => {
      markAsked = resolve;
      setImmediate(resolve);
    });
    const deliver = (e: ChatEvent): void => {
      early?.push(e);
      for (const fn of listeners) fn(e);
      this.deps.emit(e);
    };
    // Events name the reply's row: those before it is saved wait for it, in order.
    let ids: { streamId: string; sessionId: string; messageId: number } | null = null;
    let held: ChatEventBody[] = [];
    const emit = (body: ChatEventBody): void => {
      if (ids) deliver({ ...body, ...ids });
      else held.push(body);
    };
    const rows = new ReplyRowsOnce(
      plan.save,
      (saved) => {
        ids = { streamId: String(saved.assistant.id), sessionId, messageId: saved.assistant.id };
        this.active.delete(activeKey);
        activeKey = ids.streamId;
        this.active.set(activeKey, entry);
        const waiting = held;
        held = [];
        for (const body of waiting) deliver({ ...body, ...ids });
      },
      // The reply never started: the model, perhaps asked already, is told to stop, and the chat is free at once.
      () => {
        this.active.delete(activeKey);
        abort.abort();
      },
    );
    const replyId = (): number => rows.get().assistant.id;

    const run = async (): Promise<ChatResult> => {
      emit({ type: 'start', model });
      const defaults = this.deps.defaults();
      const style: StyleName = isStyleName(plan.style) ? plan.style : defaults.style;
      const baseTuning = tuningFor(model, style);
      // The chat's own settings beat the style's (and the small-model tuning's) temperature and context length.
      const chatSettings = plan.newChat ? {} : store.chatSettings.get(sessionId);
      const provider = plan.provider;
      const tuning = {
        ...baseTuning,
        options: withChatOptions(
          baseTuning.options,
          chatSettings,
          chatSettings.contextLength !== undefined && provider === 'ollama'
            ? await this.capabilities.contextLength(model)
            : null,
        ),
      };
      // Who answers, and who answers instead when it cannot be reached (announced, never silent).
      const route = this.deps.providers?.session({ provider, model }, (n) =>
        emit({
          type: 'provider',
          ...n.to,
          fallbackFrom: n.from,
          reason: n.reason,
          ...(n.reasonText ? { reasonText: n.reasonText } : {}),
        }),
      );
      if (route) emit({ type: 'provider', ...route.current });
      const nativeTools = route ? await route.supportsTools() : await this.capabilities.supportsTools(model);
      /** Which provider and model wrote the reply, kept with it (a stopped or failed reply too). */
      const noteAnsweredBy = (): void => {
        if (!route) return;
        try {
          store.providers.setAnsweredBy(replyId(), route.current.provider, route.current.model);
        } catch (err) {
          this.diskFull(err, 'chat reply');
        }
      };
      const hasDocuments = this.deps.hasDocuments?.(sessionId) ?? false;
      // The user's instructions for this chat are added after the agent's prompt: its tool and safety rules stay.
      const systemPrompt = withChatInstructions(
        buildSystemPrompt({
          style,
          now: clock.now(),
          location: defaults.location,
          position: position && { ...position, near: nearName(this.deps.gazetteer, position) },
          tools: nativeTools ? 'native' : 'context',
          documents: hasDocuments,
          language: language ?? defaults.language ?? undefined,
        }),
        chatSettings,
      );
      // The chat so far, and the new question (not saved yet: see ReplyRowsOnce).
      const earlier = plan.newChat
        ? []
        : store.messages.recent(sessionId, tuning.historyMessages - (plan.question === null ? 0 : 1));
      const history = buildHistory(
        plan.question === null ? earlier : [...earlier, { role: 'user', status: 'complete', content: plan.question }],
        {
          maxMessages: tuning.historyMessages,
          numCtx: tuning.options.num_ctx,
          replyBudget: tuning.options.num_predict,
          systemPrompt,
        },
      );
      const writer = new StreamWriter(
        store,
        replyId,
        (err) => this.diskFull(err, 'chat reply'),
        (text, offset) => emit({ type: 'token', text, offset }),
        (offset) => emit({ type: 'retract', offset }),
      );
      let tokens = 0;
      let promptTokens = 0;
      const speed = new ReplySpeed(clock);
      const toolsUsed: string[] = [];
      const onTool = (a: ToolActivity): void => {
        // Persisted before it is shown, like the text.
        store.toolActivity.put(replyId(), a);
        // In the order the model asked for them (parallel calls finish in any order).
        if (this.deps.tools.has(a.name) && !toolsUsed.includes(a.name)) toolsUsed.push(a.name);
        emit({
          type: 'tool',
          seq: a.seq,
          name: a.name,
          status: a.status,
          ...(a.durationMs !== null ? { durationMs: a.durationMs } : {}),
          ...(a.sources.length ? { source: a.sources.join(', ') } : {}),
          cached: a.cached,
          ...(a.summary ? { summary: a.summary } : {}),
          activity: a,
        });
      };
      try {
        const run = await runAgent({
          chat: ({ messages, tools, signal }) => {
            speed.requestSent();
            const stream =
              route?.chat({ messages, ...(tools ? { tools } : {}), options: tuning.options, signal }) ??
              this.deps.ollama.chatStream(
                {
                  model,
                  messages,
                  options: tuning.options,
                  // Our JSON Schema properties are wider than ollama-js's declared shape; the server takes any schema.
                  ...(tools ? { tools: tools as unknown as Tool[] } : {}),
                },
                signal,
              );
            // node:http writes the request in the next tick; the question is saved just after it.
            process.nextTick(() => {
              rows.trySave();
              markAsked();
            });
            return stream;
          },
          tools: this.deps.tools,
          gazetteer: this.deps.gazetteer,
          ...(position ? { position } : {}),
          messages: history,
          nativeTools,
          signal: abort.signal,
          sessionId,
          hasDocuments,
          onText: (t) => writer.push(t),
          onFirstContent: () => speed.firstContent(),
          onRetract: (offset) => writer.retract(offset),
          onTool,
          onToolsUnsupported: () =>
            route ? route.provider.markNoTools(route.current.model) : this.capabilities.markNoTools(model),
          withContext: (messages, context) =>
            messages.map((m, i) =>
              i === 0 && m.role === 'system' ? { ...m, content: withDataContext(m.content, context) } : m,
            ),
          shouldRetry: (err) =>
            explainOllamaError(err, { host: this.deps.ollama.host, model }).code === 'ollama_unavailable',
          retryDelayMs: tuning.retryDelayMs,
        });
        tokens = run.tokens;
        promptTokens = run.promptTokens;
        await writer.flush();
        const id = replyId();
        const status = abort.signal.aborted ? 'stopped' : 'complete';
        const figures = speed.figures(tokens, run.evalNs);
        store.messages.finish(id, status, { tokens, toolsUsed, ...figures });
        noteAnsweredBy();
        // A whole reply saved: whatever filled the disk is over.
        this.deps.disk?.noteSuccess();
        const result = this.result(sessionId, id, route?.current.model ?? model, status, tokens, promptTokens);
        if (route) result.provider = route.current.provider;
        result.ttft_ms = figures.ttftMs;
        result.tokens_per_second = figures.tokensPerSecond;
        emit({ type: 'done', result });
        return result;
      } catch (err) {
        // A reply that fails before its rows are saved saves them now, so the question and why it failed are
        // kept; when that save is what failed, the reply never started and send() throws it.
        const id = replyId();
        try {
          await writer.flush();
        } catch {
          // Text that could not be saved is not shown either; `err` below says why the reply ended.
        }
        noteAnsweredBy();
        if (abort.signal.aborted) {
          this.finishReply(id, () => store.messages.finish(id, 'stopped', { tokens, toolsUsed, ...speed.figures() }));
          const result = this.result(sessionId, id, model, 'stopped', tokens, promptTokens);
          emit({ type: 'done', result });
          return result;
        }
        const appErr =
          this.diskFull(err, 'chat reply') ?? explainOllamaError(err, { host: this.deps.ollama.host, model });
        // The text written so far stays; with a full disk even this may fail, and is retried later.
        this.finishReply(id, () =>
          store.messages.finish(id, 'error', {
            error: appErr.message,
            errorText: appErr.text ?? null,
            tokens,
            toolsUsed,
            ...speed.figures(),
          }),
        );
        this.deps.logger.error('chat reply failed', { sessionId, model, code: appErr.code, cause: errorMessage(err) });
        emit({
          type: 'error',
          error: { code: appErr.code, message: appErr.message, ...(appErr.text ? { text: appErr.text } : {}) },
        });
        throw appErr;
      } finally {
        this.active.delete(activeKey);
      }
    };
    const done = run();
    // Callers that only follow events must not trigger an unhandled rejection.
    done.catch(() => undefined);
    await asked;
    const saved = rows.get();
    // The caller subscribes in the microtasks after send() returns, before this.
    setImmediate(() => (early = null));
    return {
      streamId: String(saved.assistant.id),
      sessionId,
      userMessageId: saved.userId,
      assistantMessageId: saved.assistant.id,
      model,
      done,
      subscribe: (fn) => {
        if (early) for (const e of early) fn(e);
        listeners.add(fn);
        return () => listeners.delete(fn);
      },
    };
  }

  private result(
    sessionId: string,
    messageId: number,
    model: string,
    status: 'complete' | 'stopped',
    tokens: number,
    promptTokens: number,
  ): ChatResult {
    const record = this.deps.store.messages.get(messageId) as MessageRecord;
    const count = this.deps.store.messages.count(sessionId);
    return {
      response: record.content,
      session_id: sessionId,
      message_id: messageId,
      status,
      tools_used: record.toolsUsed,
      message_count: count,
      tokens_used: tokens,
      prompt_tokens: promptTokens,
      cached: false,
      model,
      warning: limitWarning(this.deps.limits, count),
      warning_text: limitWarningText(this.deps.limits, count),
    };
  }
}

function titleFrom(message: string): string {
  const line = message.trim().split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}

/** "Nairobi, Kenya (3 km)": the bundled gazetteer's nearest place, offline; null when none is within 50 km. */
function nearName(gazetteer: Gazetteer, p: UserPosition): string | null {
  const near = gazetteer.nearest(p.latitude, p.longitude);
  return near && near.distanceKm <= 50
    ? `${near.place.name}, ${near.place.countryName} (${Math.round(near.distanceKm)} km)`
    : null;
}
