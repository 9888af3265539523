import type { Tool } from 'ollama';
import type { ModelCapabilities } from '../agent/model-capabilities';
import type { OllamaGateway } from '../ollama/ollama-gateway';
import { explainOllamaError } from '../ollama/ollama-errors';
import type {
  ChatProvider,
  ProviderChatRequest,
  ProviderHealth,
  ProviderModel,
  ProviderStream,
} from './provider-types';

/** Today's path: the local (or LAN) Ollama through the gateway, unchanged. */
export class OllamaProvider implements ChatProvider {
  readonly id = 'ollama' as const;
  readonly cloud = false;

  constructor(
    private readonly gateway: OllamaGateway,
    private readonly capabilities: ModelCapabilities,
  ) {}

  get baseUrl(): string {
    return this.gateway.host;
  }

  configured(): boolean {
    return true;
  }

  async listModels(): Promise<ProviderModel[]> {
    const models = await this.gateway.listInstalled();
    return models.map((m) => ({ name: m.name, sizeBytes: m.sizeBytes }));
  }

  async chat(req: ProviderChatRequest): Promise<ProviderStream> {
    try {
      return await this.gateway.chatStream(
        {
          model: req.model,
          messages: req.messages,
          ...(req.options ? { options: req.options } : {}),
          // Our JSON Schema properties are wider than ollama-js's declared shape; the server takes any schema.
          ...(req.tools ? { tools: req.tools as unknown as Tool[] } : {}),
        },
        req.signal,
      );
    } catch (err) {
      const explained = explainOllamaError(err, { host: this.gateway.host, model: req.model });
      // Ollama's own 400 words are what the agent loop reads to switch to the proactive path.
      throw explained.code === 'model_no_tools' ? err : explained;
    }
  }

  supportsTools(model: string): Promise<boolean> {
    return this.capabilities.supportsTools(model);
  }

  markNoTools(model: string): void {
    this.capabilities.markNoTools(model);
  }

  async health(): Promise<ProviderHealth> {
    try {
      const version = await this.gateway.version();
      return { ok: true, detail: `Ollama ${version} at ${this.gateway.host}` };
    } catch (err) {
      return { ok: false, detail: err instanceof Error ? err.message : String(err) };
    }
  }
}
