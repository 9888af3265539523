/**
 * PurpleAir quality control and the US EPA correction. Both are derived from US data (Barkjohn et al.
 * 2021, and the 2022 extension for smoke): the corrected value is kept apart from the measured one and
 * always labelled as US-derived.
 */

export const EPA_CORRECTION_LABEL = 'US EPA PurpleAir correction (Barkjohn 2021, 2022 smoke extension; US-derived)';

/** Channels agree when |A−B| < 5 µg/m³ or their relative difference (to the A/B mean) is < 70 %. */
export function channelsAgree(a: number, b: number): boolean {
  const diff = Math.abs(a - b);
  if (diff < 5) return true;
  const mean = (a + b) / 2;
  return mean > 0 && diff / mean < 0.7;
}

/**
 * US EPA correction of PurpleAir PM2.5 (µg/m³).
 * `cf1` is the A/B mean of pm2_5_cf_1, `rh` relative humidity in %. The 2022 extension picks its segment
 * by the A/B mean of pm2_5_atm (`atm`, defaults to `cf1`), blending linearly across 30–50 and 210–260:
 *   x < 30:      0.524·cf1 − 0.0862·RH + 5.75                  (Barkjohn 2021)
 *   30 ≤ x < 50:  slope blends 0.524 → 0.786
 *   50 ≤ x < 210: 0.786·cf1 − 0.0862·RH + 5.75
 *   210 ≤ x < 260: blends toward the high-concentration fit
 *   x ≥ 260:      2.966 + 0.69·cf1 + 8.84e-4·cf1²
 * Negative results (very clean, humid air) are reported as 0.
 */
export function epaCorrection(cf1: number, rh: number, atm: number = cf1): number {
  const x = atm;
  let v: number;
  if (x < 30) v = 0.524 * cf1 - 0.0862 * rh + 5.75;
  else if (x < 50) {
    const w = x / 20 - 3 / 2;
    v = (0.786 * w + 0.524 * (1 - w)) * cf1 - 0.0862 * rh + 5.75;
  } else if (x < 210) v = 0.786 * cf1 - 0.0862 * rh + 5.75;
  else if (x < 260) {
    const w = x / 50 - 21 / 5;
    v =
      (0.69 * w + 0.786 * (1 - w)) * cf1 - 0.0862 * rh * (1 - w) + 2.966 * w + 5.75 * (1 - w) + 8.84e-4 * cf1 * cf1 * w;
  } else v = 2.966 + 0.69 * cf1 + 8.84e-4 * cf1 * cf1;
  return Math.max(0, v);
}

export const fahrenheitToCelsius = (f: number): number => ((f - 32) * 5) / 9;
