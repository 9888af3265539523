import { createEngine, type Engine } from '../engine';
import { shellEnvironment } from '../core/seed-env-aliases';
import { resolveDataDir } from '../core/paths';
import { APP_VERSION } from '../core/version';
import { explainDiskFull } from '../core/disk-full';
import { errorMessage, isAppError } from '../core/errors';
import type { CliCommand, CliContext, CliIo } from './cli-types';
import { UsageError } from './cli-types';
import { COMMANDS } from './commands';
import { storeDamagedError } from '../ops/recovery/recovery-state';

/** Global options may stand anywhere; everything else goes to the command. */
type Globals = { dataDir?: string; ollamaHost?: string; provider?: string; baseUrl?: string };
const GLOBAL_FLAGS: Record<string, keyof Globals> = {
  '--data-dir': 'dataDir',
  '--ollama-host': 'ollamaHost',
  '--provider': 'provider',
  '--base-url': 'baseUrl',
};

function splitGlobals(argv: string[]): { globals: Globals; rest: string[] } {
  const rest: string[] = [];
  const globals: Globals = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const key = GLOBAL_FLAGS[flag];
    if (key) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      globals[key] = value;
    } else rest.push(a);
  }
  return { globals, rest };
}

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `aeris ${APP_VERSION} — offline air-quality assistant`,
    '',
    'Usage: aeris <command> [options] [--data-dir DIR] [--ollama-host URL] [--provider P] [--base-url URL]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `aeris <command> --help` for a command’s options.',
  ].join('\n');
}

export async function runCli(
  argv: string[],
  opts: { io: CliIo; env?: NodeJS.ProcessEnv; rendererDir: string },
): Promise<number> {
  const { env, note: configNote } = shellEnvironment(opts.env ?? process.env);
  const { io } = opts;
  let parsed;
  try {
    parsed = splitGlobals(argv);
  } catch (err) {
    io.stderr(`${errorMessage(err)}\n`);
    return 2;
  }
  const [name, ...args] = parsed.rest;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help() + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout(`${APP_VERSION}\n`);
    return 0;
  }
  const command: CliCommand | undefined = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`Unknown command "${name}".\n\n${help()}\n`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${command.usage}\n`);
    return 0;
  }
  let engine: Engine | null = null;
  const ctx: CliContext = {
    io,
    env,
    rendererDir: opts.rendererDir,
    globals: {
      dataDir: resolveDataDir(parsed.globals.dataDir, env),
      ollamaHost: parsed.globals.ollamaHost,
      provider: parsed.globals.provider,
      baseUrl: parsed.globals.baseUrl,
    },
    engine: () => {
      if (!engine) {
        const { provider, baseUrl } = ctx.globals;
        engine = createEngine({
          dataDir: ctx.globals.dataDir,
          ollamaHost: ctx.globals.ollamaHost,
          env,
          ...(provider || baseUrl
            ? { providerFlags: { ...(provider ? { provider } : {}), ...(baseUrl ? { baseUrl } : {}) } }
            : {}),
        });
        if (configNote) engine.logger.log('info', 'config', configNote);
      }
      // In recovery mode the engine holds an empty stand-in store: a chat or an import would vanish into it.
      const damaged = engine.recoveryState.current();
      if (damaged && STORE_WRITERS.has(command.name)) throw storeDamagedError(damaged.reason);
      return engine;
    },
    configNote,
  };
  try {
    return await command.run(args, ctx);
  } catch (raw) {
    if (raw instanceof UsageError) {
      io.stderr(`${raw.message}\n\n${command.usage}\n`);
      return 2;
    }
    const err = explainDiskFull(raw, ctx.globals.dataDir);
    if (isAppError(err)) {
      io.stderr(`error: ${err.message}\n`);
      return 1;
    }
    io.stderr(`error: ${errorMessage(err)}\n`);
    return 1;
  } finally {
    // serve keeps its engine open; it closes on its own signal handlers.
    if (engine && command.name !== 'serve') await (engine as Engine).close();
  }
}

/** Commands that write to the chat history or the imports: refused while the store is damaged. */
const STORE_WRITERS = new Set(['chat', 'import']);
