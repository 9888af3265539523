import type { Engine } from '../engine';

/** What a command may touch: its output streams and a lazily built engine (some commands need none). */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stdout is a terminal: progress bars and colour only then. */
  isTTY: boolean;
}

interface CliGlobals {
  dataDir: string;
  ollamaHost?: string;
  /** `--provider ollama|openai-compatible|gemini` and `--base-url URL` (the OpenAI-compatible server). */
  provider?: string;
  baseUrl?: string;
}

export interface CliContext {
  io: CliIo;
  globals: CliGlobals;
  env: NodeJS.ProcessEnv;
  /** Builds the engine on first use and closes it when the command ends. */
  engine(): Engine;
  /** Where the built renderer lives (serve mode). */
  rendererDir: string;
  /** Which of the original server's configuration names were read (null when none was set). */
  configNote?: string | null;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(argv: string[], ctx: CliContext): Promise<number>;
}

/** A usage error: printed with the command's usage, exit code 2. */
export class UsageError extends Error {}
