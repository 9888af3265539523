import { AppError } from '../core/errors';
import type { SavedSourceSettings } from '../airquality/sources/source-config';
import type { SecretStore } from './secret-store';

export type SourceSettingsPatch = { [K in keyof SavedSourceSettings]?: string | null };

const URL_KEYS = ['waqiUrl', 'airqoUrl', 'openMeteoUrl', 'openAqUrl'] as const;

/**
 * The data-source URLs and keys the person saved. Read on every source call (so edits apply at once) from
 * memory; written through the injected SecretStore. Values never go back to the UI, only whether they are set.
 */
export class SourceSettingsService {
  private values: SavedSourceSettings;

  constructor(private readonly store: SecretStore) {
    this.values = store.load();
  }

  get kind(): SecretStore['kind'] {
    return this.store.kind;
  }

  get(): SavedSourceSettings {
    return { ...this.values };
  }

  /** Keys present in the patch are set (empty or null clears them); absent keys stay as they are. */
  update(patch: SourceSettingsPatch): void {
    const next: SavedSourceSettings = { ...this.values };
    for (const [k, v] of Object.entries(patch) as Array<[keyof SavedSourceSettings, string | null | undefined]>) {
      if (v === undefined) continue;
      const trimmed = v === null ? '' : v.trim();
      if (trimmed === '') {
        delete next[k];
        continue;
      }
      if ((URL_KEYS as readonly string[]).includes(k)) {
        let u: URL;
        try {
          u = new URL(trimmed);
        } catch {
          throw new AppError('bad_request', `${k} is not a URL.`);
        }
        if (u.protocol !== 'http:' && u.protocol !== 'https:')
          throw new AppError('bad_request', `${k} must be http(s).`);
        next[k] = trimmed.replace(/\/+$/, '');
      } else {
        if (/\s/.test(trimmed)) throw new AppError('bad_request', 'A key cannot contain spaces.');
        next[k] = trimmed;
      }
    }
    this.store.save(next);
    this.values = next;
  }
}
