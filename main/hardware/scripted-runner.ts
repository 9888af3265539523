import type { CommandResult, CommandRunner } from './command-runner';

/** A runner that answers from a table: tests script each command's result without spawning anything. */
export function scriptedRunner(
  answers: Record<string, Partial<CommandResult> | ((args: string[]) => Partial<CommandResult>)>,
): CommandRunner & { calls: Array<{ command: string; args: string[] }> } {
  const calls: Array<{ command: string; args: string[] }> = [];
  return {
    calls,
    async run(command, args) {
      calls.push({ command, args });
      const answer = answers[command];
      if (!answer)
        return {
          ok: false,
          stdout: '',
          stderr: '',
          exitCode: null,
          failure: 'missing',
          message: `${command} not found on PATH`,
        };
      const a = typeof answer === 'function' ? answer(args) : answer;
      return { ok: a.ok ?? true, stdout: a.stdout ?? '', stderr: a.stderr ?? '', exitCode: a.exitCode ?? 0, ...a };
    },
  };
}
