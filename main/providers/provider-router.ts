import { engineMessage, type EngineText } from '../../preload/shared/engine-messages';
import { AppError, isAppError } from '../core/errors';
import { explainProviderError } from './provider-errors';
import {
  isProviderId,
  type ChatProvider,
  type ProviderChatRequest,
  type ProviderId,
  type ProviderStream,
} from './provider-types';

/** One place to answer from: a provider and the model to ask there. */
export interface ProviderChoice {
  provider: ProviderId;
  model: string;
}

interface ProviderPolicy {
  defaultProvider: ProviderId;
  modelFor: (provider: ProviderId) => string | null;
  fallback: ProviderChoice[];
  allowCloud: boolean;
}

/** Told when a reply moves to the next provider of the fallback order; the reply's events say so. */
interface FallbackNotice {
  from: ProviderChoice;
  to: ProviderChoice;
  reason: string;
  /** The reason as a message id for the UI's language; absent where only English exists. */
  reasonText?: EngineText;
}

export interface ProviderRouterDeps {
  providers: Record<ProviderId, ChatProvider>;
  /**
   * The provider for chats that name none, the model to ask each provider for when a chat names none (null:
   * for Ollama, the engine's own choice), the fallback order after the chat's own provider, and whether the
   * cloud may be used at all.
   */
  policy: () => ProviderPolicy;
  /** Whether this machine is online now (offline, nothing tries the cloud). */
  online: () => boolean;
}

/**
 * Picks who answers a reply: the chat's provider first, then the fallback order (local Ollama → LAN server
 * → cloud), skipping what is not configured and the cloud when it is not allowed or the machine is offline.
 * Only a provider that cannot be reached (or fails with 5xx) before the reply's first chunk is left for the next.
 */
export class ProviderRouter {
  constructor(private readonly deps: ProviderRouterDeps) {}

  /** The chat's provider: the one asked for, else the chat's own, else (a new chat) the default in Settings. */
  providerFor(requested: string | undefined, sessionProvider: string | null | undefined): ProviderId {
    const id = requested ?? sessionProvider ?? this.deps.policy().defaultProvider;
    if (!isProviderId(id)) {
      throw new AppError(
        'bad_request',
        `Unknown provider "${id}": use ollama, openai-compatible or gemini.`,
        {},
        engineMessage('error.unknownProvider', { provider: id }),
      );
    }
    return id;
  }

  /** The model a provider answers with when the chat names none (null for Ollama: the engine picks). */
  modelFor(provider: ProviderId): string | null {
    return this.deps.policy().modelFor(provider);
  }

  get(id: ProviderId): ChatProvider {
    return this.deps.providers[id];
  }

  /** Whether `id` may be asked now; the reason in words (and as a message id for the UI) when not. */
  usable(id: ProviderId): { ok: true } | { ok: false; reason: string; text: EngineText } {
    const p = this.deps.providers[id];
    if (!p.configured())
      return {
        ok: false,
        reason: `${id} is not configured`,
        text: engineMessage('provider.notConfigured', { provider: id }),
      };
    if (p.cloud && !this.deps.policy().allowCloud)
      return {
        ok: false,
        reason: `${id} is a cloud service and the cloud is not allowed`,
        text: engineMessage('provider.cloudNotAllowed', { provider: id }),
      };
    if (p.cloud && !this.deps.online())
      return {
        ok: false,
        reason: `${id} is a cloud service and this machine is offline`,
        text: engineMessage('provider.offline', { provider: id }),
      };
    return { ok: true };
  }

  /** The order this reply may try: the chosen one, then each fallback not already in the list. */
  candidates(first: ProviderChoice): ProviderChoice[] {
    const order = [first, ...this.deps.policy().fallback];
    const seen = new Set<string>();
    return order.filter((c) => {
      const k = `${c.provider}|${c.model}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }

  /** A reply's conversation with its providers: sticks to whoever answered the first round. */
  session(first: ProviderChoice, onFallback: (n: FallbackNotice) => void): ReplyRoute {
    return new ReplyRoute(this, this.candidates(first), onFallback);
  }
}

/** Errors that say "nobody is there" (or the server broke), which a fallback may answer instead. */
function fallsBack(err: AppError): boolean {
  return err.code === 'ollama_unavailable';
}

export class ReplyRoute {
  private index = 0;
  /** Set once a provider answered: later rounds (tool results) stay with it. */
  private settled = false;

  constructor(
    private readonly router: ProviderRouter,
    private readonly order: ProviderChoice[],
    private readonly onFallback: (n: FallbackNotice) => void,
  ) {
    const first = order[0];
    if (!first)
      throw new AppError('bad_request', 'No provider to answer with.', {}, engineMessage('error.noProvider', {}));
  }

  get current(): ProviderChoice {
    return this.order[this.index]!;
  }

  get provider(): ChatProvider {
    return this.router.get(this.current.provider);
  }

  supportsTools(): Promise<boolean> {
    return this.provider.supportsTools(this.current.model);
  }

  async chat(req: Omit<ProviderChatRequest, 'model'>): Promise<ProviderStream> {
    for (;;) {
      const choice = this.current;
      const usable = this.router.usable(choice.provider);
      // What the caller sees when nobody else can answer: the provider's own error, as it threw it (the agent
      // loop reads Ollama's "does not support tools" from it).
      let thrown: unknown;
      let failure: AppError;
      // Why, for the UI: the unusable provider's own sentence, else the failure's id.
      let why: EngineText | undefined;
      if (usable.ok) {
        try {
          const stream = await this.provider.chat({ ...req, model: choice.model });
          this.settled = true;
          return stream;
        } catch (err) {
          // A stopped reply asks no one else.
          if (req.signal?.aborted) throw err;
          thrown = err;
          failure = isAppError(err)
            ? err
            : explainProviderError(err, {
                provider: choice.provider,
                baseUrl: this.provider.baseUrl,
                model: choice.model,
              });
          if (this.settled || !fallsBack(failure)) throw err;
          why = failure.text;
        }
      } else {
        failure = new AppError(
          'ollama_unavailable',
          `Cannot use ${choice.provider}: ${usable.reason}.`,
          { provider: choice.provider },
          // The reason's own sentence names the provider, and has no English inside it.
          usable.text,
        );
        thrown = failure;
        why = usable.text;
        if (this.settled) throw failure;
      }
      const next = this.nextUsable();
      if (next === null) throw thrown;
      const from = choice;
      this.index = next;
      this.onFallback({ from, to: this.current, reason: failure.message, ...(why ? { reasonText: why } : {}) });
    }
  }

  private nextUsable(): number | null {
    for (let i = this.index + 1; i < this.order.length; i++) {
      if (this.router.usable(this.order[i]!.provider).ok) return i;
    }
    return null;
  }
}
