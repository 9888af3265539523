import type { SavedSourceSettings } from '../../main/airquality/sources/source-config';
import type { SecretStore } from '../../main/settings/secret-store';

/** A secret store that keeps nothing on disk. */
export class MemorySecretStore implements SecretStore {
  readonly kind = 'file' as const;
  private values: SavedSourceSettings = {};
  load(): SavedSourceSettings {
    return { ...this.values };
  }
  save(values: SavedSourceSettings): void {
    this.values = { ...values };
  }
}
