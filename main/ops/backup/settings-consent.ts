import fs from 'node:fs';
import type { SettingChange } from './backup-types';

/**
 * Settings that send data somewhere (the Ollama host, a source URL), prove who the user is (a key) or widen
 * what a browser may read and write (the export folder, any path): a restore never changes them unless the
 * person named them. A backup could come from anyone.
 */
const NEEDS_CONSENT = /host|url|endpoint|key|token|secret|password|proxy|folder|path|dir/i;

/** config.json as it is now (an empty object when there is none or it does not parse). */
export function currentSettings(configFile: string): Record<string, unknown> {
  try {
    const raw = JSON.parse(fs.readFileSync(configFile, 'utf8')) as unknown;
    return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Every setting the backup would change. With `trusted` false (a backup older than format 3, whose
 * settings no checksum covers) every change needs consent.
 */
export function settingsChanges(
  current: Record<string, unknown>,
  backup: Record<string, unknown> | null,
  trusted: boolean,
): SettingChange[] {
  if (!backup) return [];
  return Object.keys(backup)
    .filter((key) => JSON.stringify(backup[key]) !== JSON.stringify(current[key]))
    .sort()
    .map((key) => ({
      key,
      current: current[key] ?? null,
      backup: backup[key],
      needsConsent: !trusted || NEEDS_CONSENT.test(key),
    }));
}

/** What to apply: changes that need no consent, and those that do when named in `accept`. */
export function approvedSettings(
  changes: SettingChange[],
  accept: readonly string[],
): { apply: Record<string, unknown>; kept: string[] } {
  const apply: Record<string, unknown> = {};
  const kept: string[] = [];
  for (const c of changes) {
    if (c.needsConsent && !accept.includes(c.key)) kept.push(c.key);
    else apply[c.key] = c.backup;
  }
  return { apply, kept };
}
