import type { CliCommand } from '../cli-types';
import { UsageError } from '../cli-types';
import { parseCommandArgs } from '../parse-command-args';
import { STYLE_NAMES } from '../../../preload/shared/style-presets';

export const chatCommand: CliCommand = {
  name: 'chat',
  summary: 'Ask the assistant one question, streaming the reply',
  usage:
    `Usage: aeris chat "message" [--session ID] [--model NAME] [--style ${STYLE_NAMES.join('|')}] [--json]\n` +
    '       [--provider ollama|openai-compatible|gemini] [--base-url URL]  (e.g. --provider openai-compatible --base-url http://gpu-box:8000/v1)',
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
      // --provider is global (serve takes it too); for a chat it is also the chat's own provider.
      ...(ctx.globals.provider ? { provider: ctx.globals.provider } : {}),
    });
    // Ctrl-C stops the reply (kept as `stopped`) instead of killing the process mid-write.
    const onSigint = (): void => void engine.chat.stop(handle.streamId);
    process.once('SIGINT', onSigint);
    if (!values.json) handle.subscribe((e) => e.type === 'token' && ctx.io.stdout(e.text));
    // A fallback is never silent, here on stderr so stdout stays the answer.
    handle.subscribe((e) => {
      if (e.type === 'provider' && e.fallbackFrom) {
        ctx.io.stderr(
          `[${e.fallbackFrom.provider} (${e.fallbackFrom.model}) unavailable: answering with ${e.provider} (${e.model}). ${e.reason ?? ''}]\n`,
        );
      }
    });
    try {
      const result = await handle.done;
      if (values.json) ctx.io.stdout(JSON.stringify(result, null, 2) + '\n');
      else {
        ctx.io.stdout('\n');
        const by = result.provider ? `${result.provider} · ${result.model}` : result.model;
        ctx.io.stderr(`[session ${result.session_id} · ${by} · ${result.status}]\n`);
        if (result.warning) ctx.io.stderr(`warning: ${result.warning}\n`);
      }
      return 0;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  },
};
