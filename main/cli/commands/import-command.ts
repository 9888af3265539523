import path from 'node:path';
import { IMPORT_FORMATS, type ImportFormat } from '../../imports/formats';
import type { ImportProgress, ImportReport } from '../../imports/imports-service';
import type { CliCommand, CliIo } from '../cli-types';
import { UsageError } from '../cli-types';
import { parseCommandArgs } from '../parse-command-args';

const USAGE = `Usage: aeris import FILE [--format purpleair|airqo|generic|openaq] [--site NAME] [--tz ZONE] [--replace] [--json]

Imports a sensor file (CSV, or the first sheet of an .xlsx workbook) into the local store:
  purpleair  PurpleAir SD-card CSV (A/B channel check; US EPA correction kept apart, labelled US-derived)
  airqo      AirQo data export (column names such as pm2_5_calibrated_value, site_name, s1_pm2_5)
  generic    timestamp,site,latitude,longitude,pm2_5,pm10
The format is detected from the header unless --format is given. --site names the site for files that
carry none (a PurpleAir SD card names only its MAC address).
--tz names the IANA zone (e.g. Africa/Kampala) for timestamps written without one; the default is UTC,
which is what AirQo's exports and sensor loggers write. Timestamps with Z or an offset are read as written.
A frequency column (raw, hourly, daily) is honoured: daily rows are daily means. Coordinates at (0, 0) or
out of range are refused (the reading is kept); a site's location is the median of its good rows.
Where a reading is already stored, a calibrated value beats a raw one and, between two of the same
kind, the later import wins; the report counts what was replaced.
Bad rows are reported by line number and skipped. A file is known by its content: importing the same
bytes again (under any name, --site or --format) adds nothing; --replace removes the earlier import of
these bytes and reads the file again with the options given (another --tz or --site).
Exit code: 0 imported (even with bad rows), 1 the file could not be imported, 2 usage.`;

const BAR = 28;

/** A one-line progress bar on stderr, redrawn in place; only on a terminal. */
function progressBar(io: CliIo): (p: ImportProgress) => void {
  let last = '';
  return (p) => {
    const frac = p.totalBytes > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : 1;
    const filled = Math.round(frac * BAR);
    const text = `\r[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${String(Math.floor(frac * 100)).padStart(3)}%  ${p.rowsRead.toLocaleString('en')} rows`;
    if (text !== last) io.stderr(text);
    last = text;
    if (p.done) io.stderr('\r' + ' '.repeat(text.length) + '\r');
  };
}

function describe(r: ImportReport): string {
  if (r.alreadyImported && r.previousImport) {
    return `${r.file} was imported before (import #${r.previousImport.id}, ${r.previousImport.name}, on ${new Date(r.previousImport.importedAt).toISOString().slice(0, 10)}): nothing added. --replace reads it again with the options given.`;
  }
  const tz = r.naiveTimestamps;
  const lines = [
    `Imported ${r.file} (${r.format}${r.container === 'xlsx' ? ', Excel workbook' : ''})`,
    `  rows read       ${r.rowsRead}`,
    `  rows imported   ${r.rowsImported}`,
    `  duplicates      ${r.duplicates}`,
    `  replaced        ${r.replaced}${r.replaced ? ' (calibrated over raw, or a later value of the same kind)' : ''}`,
    `  bad rows        ${r.errorCount}`,
  ];
  if (tz.rows)
    lines.push(
      `  time zone       ${tz.rows} timestamps without a zone read as ${tz.zone}${tz.defaulted ? ' (default; --tz ZONE --replace to read it again otherwise)' : ''}`,
    );
  if (r.coordinatesRejected)
    lines.push(`  coordinates     ${r.coordinatesRejected} rows refused ((0, 0) or out of range; readings kept)`);
  if (r.flagged) lines.push(`  A/B disagree    ${r.flagged} (kept, flagged, left out of means)`);
  if (r.epaCorrected) lines.push(`  EPA corrected   ${r.epaCorrected} rows — ${r.epaCorrectionLabel}`);
  lines.push(`  sites           ${r.sites.map((s) => siteLine(s)).join('\n                  ') || 'none'}`);
  const shown = r.errors.slice(0, 20);
  if (shown.length) {
    lines.push('', 'Bad rows (skipped):', ...shown.map((e) => `  line ${e.line}: ${e.reason}`));
    if (r.errorCount > shown.length)
      lines.push(`  … and ${r.errorCount - shown.length} more (use --json for up to ${r.errors.length})`);
  }
  return lines.join('\n');
}

function siteLine(s: ImportReport['sites'][number]): string {
  const where = s.latitude !== null && s.longitude !== null ? ` at ${s.latitude}, ${s.longitude}` : ', no location';
  const devices = s.devices.length ? `, ${s.devices.join(' ')}` : '';
  const outlying = s.outlyingRows ? ` (${s.outlyingRows} rows far from it ignored)` : '';
  return `${s.name}: ${s.rows} ${s.periods.join('/')} rows${devices}${where}${outlying}`;
}

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Import a sensor file (PurpleAir SD card, AirQo export, generic CSV)',
  usage: USAGE,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs({
      args: argv,
      options: {
        format: { type: 'string' },
        site: { type: 'string' },
        tz: { type: 'string' },
        replace: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one FILE');
    const format = values.format?.toLowerCase();
    if (format !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format must be one of ${IMPORT_FORMATS.join(', ')} (got "${values.format}")`);
    }
    const file = path.resolve(positionals[0]!);
    const report = await ctx.engine().imports.importFile(file, {
      ...(format ? { format: format as ImportFormat } : {}),
      ...(values.site ? { siteName: values.site } : {}),
      ...(values.tz ? { timeZone: values.tz } : {}),
      ...(values.replace ? { replacePrevious: true } : {}),
      ...(ctx.io.isTTY && !values.json ? { onProgress: progressBar(ctx.io) } : {}),
    });
    if (values.json) {
      ctx.io.stdout(
        JSON.stringify(
          {
            file: report.file,
            format: report.format,
            rowsRead: report.rowsRead,
            rowsImported: report.rowsImported,
            duplicates: report.duplicates,
            replaced: report.replaced,
            alreadyImported: report.alreadyImported,
            container: report.container,
            naiveTimestamps: report.naiveTimestamps,
            coordinatesRejected: report.coordinatesRejected,
            errors: report.errors,
            sites: report.sites,
            errorCount: report.errorCount,
            flagged: report.flagged,
            epaCorrected: report.epaCorrected,
            sha256: report.sha256,
          },
          null,
          2,
        ) + '\n',
      );
    } else ctx.io.stdout(describe(report) + '\n');
    return 0;
  },
};
