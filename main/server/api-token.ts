import fs from 'node:fs';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { writeFileAtomic } from '../core/atomic-file';

/**
 * The serve-mode bearer token: `AERIS_API_TOKEN` when set, else one generated once and kept in the
 * data dir with mode 0600 (so a restart keeps scripts working).
 */
export function loadOrCreateToken(
  tokenFile: string,
  env: NodeJS.ProcessEnv,
): { token: string; source: 'env' | 'file' | 'generated' } {
  const fromEnv = env.AERIS_API_TOKEN?.trim();
  if (fromEnv) {
    if (fromEnv.length < 16) throw new Error('AERIS_API_TOKEN must be at least 16 characters');
    return { token: fromEnv, source: 'env' };
  }
  try {
    const existing = fs.readFileSync(tokenFile, 'utf8').trim();
    if (existing.length >= 32) {
      fs.chmodSync(tokenFile, 0o600);
      return { token: existing, source: 'file' };
    }
  } catch {
    // no token yet
  }
  const token = randomBytes(32).toString('base64url');
  writeFileAtomic(tokenFile, token + '\n', 0o600);
  return { token, source: 'generated' };
}

export function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
