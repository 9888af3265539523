import { engineMessage } from '../../preload/shared/engine-messages';
import { AppError } from '../core/errors';
import type { SavedSourceSettings } from '../airquality/sources/source-config';
import type { SecretStore } from './secret-store';

type SourceSettingsPatch = { [K in keyof SavedSourceSettings]?: string | null };

const URL_KEYS = [
  'waqiUrl',
  'airqoUrl',
  'openMeteoUrl',
  'openAqUrl',
  'openaiBaseUrl',
  'geminiUrl',
  'defraUrl',
  'ubaUrl',
  'nswUrl',
  'carbonIntensityUrl',
  'searchUrl',
] as const;

/** Each source's URL and the key that was saved for it. */
const KEY_FOR_URL: Array<[keyof SavedSourceSettings, keyof SavedSourceSettings]> = [
  ['waqiUrl', 'waqiToken'],
  ['airqoUrl', 'airqoToken'],
  ['openAqUrl', 'openAqKey'],
  ['openaiBaseUrl', 'openaiApiKey'],
  ['geminiUrl', 'geminiApiKey'],
];

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

  /**
   * Keys present in the patch are set (empty or null clears them); absent keys stay as they are, except a
   * source's saved key, which a change of that source's URL drops (the UI then asks for it again).
   */
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
          throw new AppError('bad_request', `${k} is not a URL.`, {}, engineMessage('error.notAUrl', { name: k }));
        }
        if (u.protocol !== 'http:' && u.protocol !== 'https:')
          throw new AppError(
            'bad_request',
            `${k} must be http(s).`,
            {},
            engineMessage('error.urlNotHttp', { name: k }),
          );
        next[k] = trimmed.replace(/\/+$/, '');
      } else {
        if (/\s/.test(trimmed)) {
          throw new AppError(
            'bad_request',
            'A key cannot contain spaces.',
            {},
            engineMessage('error.keyHasSpaces', {}),
          );
        }
        next[k] = trimmed;
      }
    }
    // A key was given for the URL beside it: a new URL (or none) drops it, unless the same patch sends one.
    for (const [urlKey, keyKey] of KEY_FOR_URL) {
      if ((next[urlKey] ?? null) !== (this.values[urlKey] ?? null) && patch[keyKey] === undefined) delete next[keyKey];
    }
    this.store.save(next);
    this.values = next;
  }
}
