import { describe, expect, it } from 'vitest';
import { runCli } from '../run-cli';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY: false },
    env: { AERIS_DATA_DIR: '/nonexistent-aeris-test' },
    rendererDir: '/nonexistent',
  });
  return { code, out, err };
}

describe('aeris aqi', () => {
  it('computes an AQI as JSON', async () => {
    const r = await cli(['aqi', 'pm25', '35.5', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      pollutant: 'pm25',
      concentration: 35.5,
      aqi: 101,
      category: 'Unhealthy for Sensitive Groups',
      color: '#FF7E00',
    });
  });

  it('truncates as EPA does and honours --avg', async () => {
    expect(JSON.parse((await cli(['aqi', 'pm25', '9.05', '--json'])).out).aqi).toBe(50);
    expect(JSON.parse((await cli(['aqi', 'o3', '0.17', '--avg', '1h', '--json'])).out)).toMatchObject({
      aqi: 157,
      category: 'Unhealthy',
    });
    expect(JSON.parse((await cli(['aqi', 'so2', '400', '--avg=24h', '--json'])).out).aqi).toBe(
      Math.round((99 / 299) * (400 - 305) + 201),
    );
  });

  it('prints a readable line without --json', async () => {
    const r = await cli(['aqi', 'PM2.5', '20']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/PM2\.5 20 µg\/m³ \(24h\) → AQI 71 Moderate #FFFF00/);
  });

  it('computes the NowCast (newest first), with gaps', async () => {
    const r = await cli(['aqi', 'nowcast', 'pm25', '13,16,10,21,74,64,53,82,90,75,80,50', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ concentration: 17.4, aqi: 66, category: 'Moderate' });
    const gap = await cli(['aqi', 'nowcast', 'pm25', '12,,14', '--json']);
    expect(gap.code).toBe(0);
    const few = await cli(['aqi', 'nowcast', 'pm25', ',,14']);
    expect(few.code).toBe(1);
    expect(few.err).toMatch(/2 of the 3/);
  });

  it('refuses bad input with a clear message and a non-zero exit', async () => {
    const bad = await cli(['aqi', 'pm1', '12']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown pollutant "pm1"/);
    const nan = await cli(['aqi', 'pm25', 'twelve']);
    expect(nan.code).toBe(2);
    expect(nan.err).toMatch(/must be a number/);
    const avg = await cli(['aqi', 'pm25', '12', '--avg', '2h']);
    expect(avg.code).toBe(2);
    const o3 = await cli(['aqi', 'o3', '0.3', '--avg', '8h']);
    expect(o3.code).toBe(1);
    expect(o3.err).toMatch(/1-hour/);
    const missing = await cli(['aqi']);
    expect(missing.code).toBe(2);
  });
});
