import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { runCli } from '../run-cli';

const FIXTURES = path.join(import.meta.dirname, '../../imports/fixtures');

describe('aeris import', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  const cli = async (isTTY: boolean, ...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli([...args, '--data-dir', tmp.dir], {
      io: { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY },
      env: {},
      rendererDir: tmp.dir,
    });
    return { code, stdout, stderr };
  };

  it('--json prints the report; a second run finds only duplicates', async () => {
    const first = await cli(false, 'import', path.join(FIXTURES, 'airqo-export.csv'), '--json');
    expect(first.code).toBe(0);
    const r = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(r).toMatchObject({
      file: 'airqo-export.csv',
      format: 'airqo',
      rowsRead: 9,
      rowsImported: 7,
      duplicates: 0,
      coordinatesRejected: 1,
      naiveTimestamps: { zone: 'UTC', rows: 0, defaulted: true },
      errors: [
        { line: 8, reason: 'no PM2.5 or PM10 value' },
        { line: 9, reason: 'unterminated quoted field' },
      ],
    });
    expect((r.sites as Array<{ name: string }>).map((s) => s.name)).toEqual(['Makerere University', 'Nakawa, Kampala']);
    expect(first.stderr).toBe('');
    const again = JSON.parse((await cli(false, 'import', path.join(FIXTURES, 'airqo-export.csv'), '--json')).stdout);
    expect(again).toMatchObject({ rowsImported: 0, duplicates: 7, alreadyImported: true });
  });

  it('--tz reads naive timestamps in the zone and says so; an unknown zone is refused', async () => {
    const r = await cli(false, 'import', path.join(FIXTURES, 'airqo-hourly-export.csv'), '--tz', 'Africa/Kampala');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('36 timestamps without a zone read as Africa/Kampala');
    expect(r.stdout).toContain('Nakivubo Channel, Kampala: 24 hourly rows, aq_g5_63 at 0.311467, 32.578301');
    expect(r.stdout).toMatch(/coordinates +1 rows refused/);
    const again = await cli(false, 'import', path.join(FIXTURES, 'airqo-hourly-export.csv'), '--site', 'X');
    expect(again.stdout).toMatch(
      /was imported before \(import #1, airqo-hourly-export\.csv, on \d{4}-\d\d-\d\d\): nothing added/,
    );
    const replaced = await cli(
      false,
      'import',
      path.join(FIXTURES, 'airqo-hourly-export.csv'),
      '--tz',
      'UTC',
      '--replace',
      '--json',
    );
    expect(JSON.parse(replaced.stdout)).toMatchObject({
      rowsImported: 36,
      alreadyImported: false,
      naiveTimestamps: { zone: 'UTC', rows: 36, defaulted: false },
    });
    const bad = await cli(false, 'import', path.join(FIXTURES, 'airqo-daily-export.csv'), '--tz', 'Kampala');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Unknown time zone "Kampala"');
  });

  it('prints a readable report and a progress bar on a terminal; --format and --site are honoured', async () => {
    const r = await cli(
      true,
      'import',
      path.join(FIXTURES, 'purpleair-sd.csv'),
      '--format',
      'purpleair',
      '--site',
      'School yard',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Imported purpleair-sd.csv (purpleair)');
    expect(r.stdout).toMatch(/rows imported +10/);
    expect(r.stdout).toContain('line 8: impossible date or time');
    expect(r.stdout).toContain('School yard: 10 raw rows');
    expect(r.stdout).toMatch(/EPA corrected +8 rows .*US-derived/);
    expect(r.stderr).toMatch(/\[#+\] 100%/);
  });

  it('usage errors exit 2; a file it cannot import exits 1 with the reason', async () => {
    expect((await cli(false, 'import')).code).toBe(2);
    const fmt = await cli(false, 'import', path.join(FIXTURES, 'generic.csv'), '--format', 'excel');
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toContain('--format must be one of purpleair, airqo, generic, openaq');
    const missing = await cli(false, 'import', path.join(tmp.dir, 'nope.csv'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/File not found/);
    const wrong = await cli(false, 'import', path.join(FIXTURES, 'generic.csv'), '--format', 'purpleair');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('PurpleAir file needs');
  });
});
