import fs from 'node:fs';
import { systemClock } from '../../core/clock';
import { dataPaths, ensureDataDirs } from '../../core/paths';
import { assertNoOtherConnections } from '../../ops/backup/backup-service';
import { salvageInPlace } from '../../ops/recovery/salvage-in-place';
import { checkHeader, checkStoreFile, isCorruptionError, storeMarkerFile } from '../../store/store-check';
import type { CliCommand } from '../cli-types';
import { UsageError } from '../cli-types';
import { parseCommandArgs } from '../parse-command-args';

const USAGE = `Usage:
  aeris store check [--json]             header check and a full quick_check of the chat history
  aeris store salvage [--json] [--force] copy every readable row into a fresh store; the damaged file
                                         is kept as data/aeris_agent.db.corrupt-<time>

Close the app (or \`aeris serve\`) first. salvage refuses a healthy store unless --force.
Exit code: 0 done (check: healthy), 1 damaged or failed (the reason is printed), 2 usage.`;

export const storeCommand: CliCommand = {
  name: 'store',
  summary: 'Check the chat history for damage, or salvage every readable row into a fresh store',
  usage: USAGE,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    const { values } = parseCommandArgs({
      args: rest,
      options: { json: { type: 'boolean' }, force: { type: 'boolean' } },
      allowPositionals: false,
    });
    const paths = dataPaths(ctx.globals.dataDir);
    const dbFile = paths.dbFile;
    const existedBefore = fs.existsSync(storeMarkerFile(dbFile));
    const out = (o: unknown) => ctx.io.stdout(JSON.stringify(o, null, 2) + '\n');
    if (sub === 'check') {
      const r = checkStoreFile(dbFile, { existedBefore });
      if (values.json) out(r);
      else ctx.io.stdout(r.ok ? `● ok  The chat history is sound (${r.ms} ms).\n` : `○ DAMAGED  ${r.message}\n`);
      return r.ok ? 0 : 1;
    }
    if (sub !== 'salvage') throw new UsageError(sub ? `Unknown store command "${sub}".` : 'Say check or salvage.');
    ensureDataDirs(paths);
    const r = checkStoreFile(dbFile, { existedBefore });
    if (r.ok && !values.force) {
      const msg = 'The chat history is sound: nothing to salvage (use --force to rebuild it anyway).';
      if (values.json) out({ ok: true, salvaged: false, message: msg });
      else ctx.io.stdout(msg + '\n');
      return 0;
    }
    // A running app holding the file would keep writing to the old one after the rename.
    if (fs.existsSync(dbFile) && fs.statSync(dbFile).size > 0 && checkHeader(dbFile).ok) {
      try {
        assertNoOtherConnections(dbFile);
      } catch (err) {
        if (!isCorruptionError(err)) throw err;
      }
    }
    const outcome = salvageInPlace(dbFile, systemClock);
    if (values.json) {
      out({ ok: true, salvaged: true, damage: r.ok ? null : r.message, ...outcome });
      return 0;
    }
    const width = Math.max(...outcome.tables.map((t) => t.table.length));
    ctx.io.stdout(
      [
        r.ok ? 'Rebuilt the chat history (--force).' : `Salvaged: ${r.message}`,
        outcome.headerRepaired ? 'The file’s damaged header was rebuilt on a copy to read the rest.' : '',
        ...outcome.tables.map(
          (t) =>
            `  ${t.table.padEnd(width)}  kept ${String(t.kept).padStart(7)}  ${
              t.unreadable
                ? 'unreadable: nothing kept'
                : t.lost === null
                  ? 'lost: unknown'
                  : t.lost > 0
                    ? `LOST ${t.lost}`
                    : 'nothing lost'
            }`,
        ),
        outcome.keptAside ? `The damaged file is kept as ${outcome.keptAside}` : '',
        'Start AERIS-AQ again to use the salvaged chat history.',
      ]
        .filter(Boolean)
        .join('\n') + '\n',
    );
    return 0;
  },
};
