import type { Pollutant } from './breakpoints';

type WhoAveraging = 'annual' | 'peak_season' | '24h' | '8h';

interface WhoGuideline {
  pollutant: Pollutant;
  averaging: WhoAveraging;
  /** µg/m³, except CO in mg/m³. */
  unit: 'µg/m³' | 'mg/m³';
  guideline: number;
  /** IT-1 (least strict) first. */
  interimTargets: number[];
}

/** WHO global air quality guidelines, 2021. */
export const WHO_2021: WhoGuideline[] = [
  { pollutant: 'pm25', averaging: 'annual', unit: 'µg/m³', guideline: 5, interimTargets: [35, 25, 15, 10] },
  { pollutant: 'pm25', averaging: '24h', unit: 'µg/m³', guideline: 15, interimTargets: [75, 50, 37.5, 25] },
  { pollutant: 'pm10', averaging: 'annual', unit: 'µg/m³', guideline: 15, interimTargets: [70, 50, 30, 20] },
  { pollutant: 'pm10', averaging: '24h', unit: 'µg/m³', guideline: 45, interimTargets: [150, 100, 75, 50] },
  { pollutant: 'o3', averaging: 'peak_season', unit: 'µg/m³', guideline: 60, interimTargets: [100, 70] },
  { pollutant: 'o3', averaging: '8h', unit: 'µg/m³', guideline: 100, interimTargets: [160, 120] },
  { pollutant: 'no2', averaging: 'annual', unit: 'µg/m³', guideline: 10, interimTargets: [40, 30, 20] },
  { pollutant: 'no2', averaging: '24h', unit: 'µg/m³', guideline: 25, interimTargets: [120, 50] },
  { pollutant: 'so2', averaging: '24h', unit: 'µg/m³', guideline: 40, interimTargets: [125, 50] },
  { pollutant: 'co', averaging: '24h', unit: 'mg/m³', guideline: 4, interimTargets: [7] },
];

/** Molar masses for ppb → µg/m³ at 25 °C and 1 atm (molar volume 24.45 L). */
const MOLAR_MASS: Partial<Record<Pollutant, number>> = { o3: 48.0, no2: 46.01, so2: 64.07, co: 28.01 };

/** Converts the EPA input units (O3/CO ppm, SO2/NO2 ppb) to WHO units (µg/m³; CO mg/m³). */
export function toWhoUnits(pollutant: Pollutant, value: number): number {
  const mm = MOLAR_MASS[pollutant];
  if (!mm) return value; // PM is already µg/m³
  if (pollutant === 'co') return (value * mm) / 24.45; // ppm → mg/m³
  if (pollutant === 'o3') return (value * 1000 * mm) / 24.45; // ppm → µg/m³
  return (value * mm) / 24.45; // ppb → µg/m³
}

interface WhoComparison {
  pollutant: Pollutant;
  averaging: WhoAveraging;
  value: number;
  unit: WhoGuideline['unit'];
  guideline: number;
  meetsGuideline: boolean;
  /** How many times the guideline the value is. */
  timesGuideline: number;
  /** The strictest interim target met ("IT-2"), or null when even IT-1 is exceeded or the guideline is met. */
  interimTargetMet: string | null;
  summary: string;
  notes: string[];
}

/** The WHO averaging period to compare an EPA-style value against, with a note when they differ. */
function whoPeriodFor(pollutant: Pollutant, averaging: string): { period: WhoAveraging; note?: string } {
  const has = (p: WhoAveraging) => WHO_2021.some((g) => g.pollutant === pollutant && g.averaging === p);
  if (
    (averaging === 'annual' || averaging === 'peak_season' || averaging === '24h' || averaging === '8h') &&
    has(averaging)
  ) {
    return { period: averaging };
  }
  const period: WhoAveraging = pollutant === 'o3' ? '8h' : '24h';
  return {
    period,
    note: `WHO sets no ${averaging} guideline for this pollutant; compared with the ${period} guideline (indicative).`,
  };
}

/**
 * Compares a concentration with the WHO 2021 guideline and interim targets. `value` is in WHO units
 * (µg/m³, CO mg/m³) unless `epaUnits` is set, when O3/CO ppm and SO2/NO2 ppb are converted first.
 */
export function compareWithWho(
  pollutant: Pollutant,
  value: number,
  averaging: string,
  opts: { epaUnits?: boolean } = {},
): WhoComparison {
  const { period, note } = whoPeriodFor(pollutant, averaging);
  const g = WHO_2021.find((x) => x.pollutant === pollutant && x.averaging === period)!;
  const notes: string[] = note ? [note] : [];
  let v = value;
  if (opts.epaUnits && MOLAR_MASS[pollutant]) {
    v = Math.round(toWhoUnits(pollutant, value) * 100) / 100;
    notes.push(`Converted to ${g.unit} at 25 °C and 1 atm.`);
  }
  const meets = v <= g.guideline;
  let it: string | null = null;
  if (!meets) {
    for (let i = g.interimTargets.length - 1; i >= 0; i--) {
      if (v <= g.interimTargets[i]!) {
        it = `IT-${i + 1}`;
        break;
      }
    }
  }
  const times = Math.round((v / g.guideline) * 10) / 10;
  const summary = meets
    ? `Within the WHO ${period} guideline of ${g.guideline} ${g.unit}.`
    : `${times}× the WHO ${period} guideline of ${g.guideline} ${g.unit}` +
      (it ? `; meets interim target ${it}.` : '; above every WHO interim target.');
  return {
    pollutant,
    averaging: period,
    value: v,
    unit: g.unit,
    guideline: g.guideline,
    meetsGuideline: meets,
    timesGuideline: times,
    interimTargetMet: it,
    summary,
    notes,
  };
}
