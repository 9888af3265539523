import fs from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic-file';
import type { SavedSourceSettings } from '../airquality/sources/source-config';
import { lazy } from '../../preload/shared/lazy';

/**
 * Where data-source URLs and keys are kept, away from config.json. Serve mode and the CLI use a 0600 file;
 * the Electron shell encrypts with safeStorage (main/electron/safe-storage-secret-store.ts).
 */
export interface SecretStore {
  /** For the settings page: how the keys are protected. */
  readonly kind: 'file' | 'safeStorage';
  load(): SavedSourceSettings;
  save(values: SavedSourceSettings): void;
}

const value = lazy(() => z.string().max(2000).nullable().optional());
const SavedSourceSettingsSchema = lazy(() =>
  z.object({
    waqiUrl: value(),
    waqiToken: value(),
    airqoUrl: value(),
    airqoToken: value(),
    openMeteoUrl: value(),
    openAqUrl: value(),
    openAqKey: value(),
    openaiBaseUrl: value(),
    openaiApiKey: value(),
    geminiUrl: value(),
    geminiApiKey: value(),
    defraUrl: value(),
    ubaUrl: value(),
    nswUrl: value(),
    carbonIntensityUrl: value(),
    searchUrl: value(),
    webTools: value(),
  }),
);

/** Parses what a store read back; anything unexpected is dropped rather than trusted. */
export function parseSaved(raw: unknown): SavedSourceSettings {
  const p = SavedSourceSettingsSchema().safeParse(raw);
  return p.success ? p.data : {};
}

/** `secrets.json` in the data dir, mode 0600 (re-tightened on read if someone loosened it). */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file' as const;

  constructor(private readonly file: string) {}

  load(): SavedSourceSettings {
    if (!fs.existsSync(this.file)) return {};
    try {
      if (process.platform !== 'win32' && (fs.statSync(this.file).mode & 0o077) !== 0) fs.chmodSync(this.file, 0o600);
      return parseSaved(JSON.parse(fs.readFileSync(this.file, 'utf8')) as unknown);
    } catch {
      // An unreadable file means no saved keys; the page shows the sources as not configured.
      return {};
    }
  }

  save(values: SavedSourceSettings): void {
    writeFileAtomic(this.file, JSON.stringify(values, null, 2) + '\n', 0o600);
  }
}
