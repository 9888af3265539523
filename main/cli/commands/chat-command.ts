import type { CliCommand } from '../cli-types';
import { UsageError } from '../cli-types';
import { parseCommandArgs } from '../parse-command-args';
import { STYLE_NAMES } from '../../../preload/shared/style-presets';

export const chatCommand: CliCommand = {
  name: 'chat',
  summary: 'Ask the assistant one question, streaming the reply',
  usage: `Usage: aeris chat "message" [--session ID] [--model NAME] [--style ${STYLE_NAMES.join('|')}] [--json]`,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs({
      args: argv,
      options: {
        session: { type: 'string' },
        model: { type: 'string' },
        style: { type: 'string' },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
    });
    const message = positionals.join(' ');
    if (!message.trim()) throw new UsageError('A message is required.');
    const engine = ctx.engine();
    const handle = await engine.chat.send({
      sessionId: values.session,
      message,
      model: values.model,
      style: values.style,
    });
    // Ctrl-C stops the reply (kept as `stopped`) instead of killing the process mid-write.
    const onSigint = (): void => void engine.chat.stop(handle.streamId);
    process.once('SIGINT', onSigint);
    if (!values.json) handle.subscribe((e) => e.type === 'token' && ctx.io.stdout(e.text));
    try {
      const result = await handle.done;
      if (values.json) ctx.io.stdout(JSON.stringify(result, null, 2) + '\n');
      else {
        ctx.io.stdout('\n');
        ctx.io.stderr(`[session ${result.session_id} · ${result.model} · ${result.status}]\n`);
        if (result.warning) ctx.io.stderr(`warning: ${result.warning}\n`);
      }
      return 0;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  },
};
