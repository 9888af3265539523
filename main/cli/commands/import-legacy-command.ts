import path from 'node:path';
import type { CliCommand } from '../cli-types';
import { UsageError } from '../cli-types';
import { parseCommandArgs } from '../parse-command-args';

const USAGE = `Usage: aeris import-legacy PATH [--json]

Imports the chat history of the original AERIS-AQ server: its SQLite database (usually data/aeris_agent.db,
tables chat_sessions and chat_messages). Sessions keep their ids and times, messages their order and
timestamps, so scripts that stored a session_id can go on using it. Running it again adds nothing twice.
--json prints {sessions, messages, skipped}.
Exit code: 0 imported, 1 the file could not be read, 2 usage.`;

export const importLegacyCommand: CliCommand = {
  name: 'import-legacy',
  summary: "Import the original AERIS-AQ server's chat history (its SQLite database)",
  usage: USAGE,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs({
      args: argv,
      options: { json: { type: 'boolean' } },
      allowPositionals: true,
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one PATH');
    const file = path.resolve(positionals[0]!);
    const engine = ctx.engine();
    const r = engine.conversations.importLegacy(file, engine.clock.now());
    if (values.json) {
      ctx.io.stdout(JSON.stringify({ sessions: r.sessions, messages: r.messages, skipped: r.skipped }) + '\n');
      return 0;
    }
    const lines = [
      `Imported ${path.basename(file)}`,
      `  sessions   ${r.sessions}`,
      `  messages   ${r.messages}`,
      `  skipped    ${r.skipped}`,
      ...Object.entries(r.reasons).map(([why, n]) => `    ${n} × ${why}`),
    ];
    ctx.io.stdout(lines.join('\n') + '\n');
    return 0;
  },
};
