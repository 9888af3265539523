import { execFile } from 'node:child_process';

/** Why a command gave no usable answer. */
type CommandFailure = 'missing' | 'timeout' | 'exit' | 'error';

export interface CommandResult {
  ok: boolean;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  failure?: CommandFailure;
  /** Set when `ok` is false: what went wrong, in words. */
  message?: string;
}

export interface CommandRunner {
  run(command: string, args: string[], opts?: { timeoutMs?: number }): Promise<CommandResult>;
}

const DEFAULT_PROBE_TIMEOUT_MS = 5000;

interface ExecError extends Error {
  code?: string | number;
  killed?: boolean;
  signal?: NodeJS.Signals | null;
}

/**
 * Runs real binaries with execFile (no shell). The lookup uses `env.PATH`, so tests put fake tools first on it.
 * A second timer settles the promise even if a stuck grandchild keeps the pipes open after the kill.
 */
export function execFileRunner(env: NodeJS.ProcessEnv = process.env): CommandRunner {
  return {
    run(command, args, opts = {}) {
      const timeoutMs = opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
      return new Promise<CommandResult>((resolve) => {
        let settled = false;
        const settle = (r: CommandResult): void => {
          if (settled) return;
          settled = true;
          clearTimeout(guard);
          resolve(r);
        };
        const guard = setTimeout(
          () =>
            settle({
              ok: false,
              stdout: '',
              stderr: '',
              exitCode: null,
              failure: 'timeout',
              message: `${command} did not answer within ${timeoutMs} ms`,
            }),
          timeoutMs + 1000,
        );
        try {
          const child = execFile(
            command,
            args,
            {
              env,
              timeout: timeoutMs,
              killSignal: 'SIGKILL',
              windowsHide: true,
              maxBuffer: 4 * 1024 * 1024,
              encoding: 'utf8',
            },
            (err, stdout, stderr) => {
              const out = String(stdout ?? '');
              const errText = String(stderr ?? '');
              if (!err) return settle({ ok: true, stdout: out, stderr: errText, exitCode: 0 });
              settle({
                ...describeExecError(err as ExecError, command, timeoutMs, out, errText),
                stdout: out,
                stderr: errText,
              });
            },
          );
          child.stdin?.end();
        } catch (err) {
          // execFile throws synchronously only on invalid arguments; report it like any other failure.
          settle({ ok: false, stdout: '', stderr: '', exitCode: null, failure: 'error', message: String(err) });
        }
      });
    },
  };
}

function describeExecError(
  err: ExecError,
  command: string,
  timeoutMs: number,
  stdout: string,
  stderr: string,
): Omit<CommandResult, 'stdout' | 'stderr'> {
  if (err.code === 'ENOENT') {
    return { ok: false, exitCode: null, failure: 'missing', message: `${command} not found on PATH` };
  }
  if (err.code === 'EACCES') {
    return { ok: false, exitCode: null, failure: 'error', message: `${command}: permission denied` };
  }
  if (err.killed || err.signal) {
    return {
      ok: false,
      exitCode: null,
      failure: 'timeout',
      message: `${command} did not answer within ${timeoutMs} ms`,
    };
  }
  if (typeof err.code === 'number') {
    const said = firstLine(stdout) || firstLine(stderr);
    return {
      ok: false,
      exitCode: err.code,
      failure: 'exit',
      message: `${command} exited with code ${err.code}${said ? `: ${said}` : ''}`,
    };
  }
  return { ok: false, exitCode: null, failure: 'error', message: `${command}: ${err.message}` };
}

export function firstLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find(Boolean) ?? ''
  );
}
