import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const CLI = path.resolve(import.meta.dirname, '../dist/cli.cjs');

export interface Proc {
  url: string;
  child: ChildProcess;
  out: () => string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/** Spawns a process and resolves once its output matches `ready` (group 1 is the URL). */
export function spawnUntil(command: string, args: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}): Promise<Proc> {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise<Proc>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start:\n${out}`)), 60_000);
    const onData = (b: Buffer): void => {
      out += b.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1]!,
          child,
          out: () => out,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code}:\n${out}`));
    });
  });
}

/** `aeris serve` from the built bundle (dist/cli.cjs), on a port from 0, with a fixed token. */
export async function startServe(
  dataDir: string,
  ollamaHost: string,
  env: NodeJS.ProcessEnv = {},
): Promise<Proc & { token: string }> {
  if (!fs.existsSync(CLI)) throw new Error('dist/cli.cjs is missing: run `npm run build` first');
  const token = 'bench-token-0123456789abcdef';
  const p = await spawnUntil(
    process.execPath,
    [CLI, 'serve', '--port', '0', '--data-dir', dataDir, '--ollama-host', ollamaHost],
    /serving on (http:\/\/\S+)/,
    { AERIS_API_TOKEN: token, OLLAMA_HOST: '', ...env },
  );
  return { ...p, token };
}

/** The Ollama emulator in its own process (as a real Ollama is), scripted by its command line. */
export function startEmulatorProcess(args: string[]): Promise<Proc> {
  const script = path.resolve(import.meta.dirname, '../e2e/emulators/run-ollama-emulator.ts');
  return spawnUntil(process.execPath, ['--import', 'tsx', script, '0', ...args], /listening (\S+)/);
}
