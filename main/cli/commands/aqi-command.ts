import type { CliCommand } from '../cli-types';
import { UsageError } from '../cli-types';
import { parseCommandArgs } from '../parse-command-args';
import { computeAqi } from '../../airquality/aqi/epa-aqi';
import { nowCast } from '../../airquality/aqi/nowcast';
import { POLLUTANT_LABELS, POLLUTANTS, parsePollutant, type Averaging } from '../../airquality/aqi/breakpoints';

const USAGE = `Usage: aeris aqi <pollutant> <value> [--avg 1h|8h|24h] [--json]
       aeris aqi nowcast <pm25|pm10> <v1,...,v12> [--json]

US EPA AQI (2024 revision) with EPA truncation and rounding.
Pollutants: ${POLLUTANTS.join(' ')}  (PM in µg/m³, O3 and CO in ppm, SO2 and NO2 in ppb).
Default averaging: PM 24h, O3 and CO 8h, SO2 and NO2 1h.
NowCast values are hourly, newest first; leave a value empty (or write "-") for a missing hour.`;

function parseNumber(text: string, what: string): number {
  const s = text.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s))
    throw new UsageError(`${what} must be a number (got "${text}")`);
  return Number(s);
}

function pollutantArg(text: string | undefined): ReturnType<typeof parsePollutant> & string {
  if (!text) throw new UsageError('a pollutant is required');
  const p = parsePollutant(text);
  if (!p) throw new UsageError(`unknown pollutant "${text}" (expected one of: ${POLLUTANTS.join(', ')})`);
  return p;
}

export const aqiCommand: CliCommand = {
  name: 'aqi',
  summary: 'Compute the US EPA AQI (or NowCast) from a concentration',
  usage: USAGE,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs({
      args: argv,
      options: { avg: { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    const out = (obj: Record<string, unknown>, text: string) =>
      ctx.io.stdout(values.json ? JSON.stringify(obj, null, 2) + '\n' : text + '\n');

    if (positionals[0] === 'nowcast') {
      if (values.avg) throw new UsageError('--avg does not apply to nowcast');
      const p = pollutantArg(positionals[1]);
      if (p !== 'pm25' && p !== 'pm10') throw new UsageError('NowCast applies to pm25 and pm10 only');
      if (!positionals[2] || positionals.length > 3)
        throw new UsageError('give the hourly values as one comma-separated list');
      const hourly = positionals[2]
        .split(',')
        .map((v, i) =>
          v.trim() === '' || v.trim() === '-' || /^(na|null)$/i.test(v.trim()) ? null : parseNumber(v, `hour ${i + 1}`),
        );
      const r = nowCast(p, hourly);
      out(
        { concentration: r.concentration, aqi: r.aqi.aqi, category: r.aqi.category },
        `${POLLUTANT_LABELS[p]} NowCast ${r.concentration} µg/m³ → AQI ${r.aqi.aqi} (${r.aqi.category}), from ${r.hoursUsed} hours, weight ${r.weight.toFixed(2)}`,
      );
      return 0;
    }

    if (positionals.length !== 2) throw new UsageError('expected <pollutant> <value>');
    const p = pollutantArg(positionals[0]);
    const value = parseNumber(positionals[1]!, 'the concentration');
    if (values.avg !== undefined && !['1h', '8h', '24h'].includes(values.avg)) {
      throw new UsageError(`--avg must be 1h, 8h or 24h (got "${values.avg}")`);
    }
    const r = computeAqi(p, value, values.avg as Averaging | undefined);
    out(
      { pollutant: p, concentration: value, aqi: r.aqi, category: r.category, color: r.color },
      [
        `${POLLUTANT_LABELS[p]} ${value} ${r.unit} (${r.averaging}) → AQI ${r.aqi} ${r.category} ${r.color}`,
        ...r.notes.map((n) => `  note: ${n}`),
      ].join('\n'),
    );
    return 0;
  },
};
