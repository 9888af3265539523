import fs from 'node:fs';
import { safeStorage } from 'electron';
import type { SavedSourceSettings } from '../airquality/sources/source-config';
import { writeFileAtomic } from '../core/atomic-file';
import { engineMessage } from '../../preload/shared/engine-messages';
import { AppError } from '../core/errors';
import { parseSaved, type SecretStore } from '../settings/secret-store';

/**
 * Data-source URLs and keys encrypted with the OS keychain through Electron's safeStorage
 * (Keychain, DPAPI, libsecret/kwallet), in `secrets.enc` beside config.json.
 */
export class SafeStorageSecretStore implements SecretStore {
  readonly kind = 'safeStorage' as const;

  constructor(private readonly file: string) {}

  load(): SavedSourceSettings {
    if (!fs.existsSync(this.file) || !safeStorage.isEncryptionAvailable()) return {};
    try {
      return parseSaved(JSON.parse(safeStorage.decryptString(fs.readFileSync(this.file))) as unknown);
    } catch {
      // Encrypted under another OS account or keyring: the keys must be entered again.
      return {};
    }
  }

  save(values: SavedSourceSettings): void {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new AppError(
        'internal',
        'This system has no keyring to encrypt keys with. Set them with AERIS_WAQI_TOKEN, AERIS_AIRQO_TOKEN or AERIS_OPENAQ_KEY instead.',
        {},
        engineMessage('error.noKeyring', {}),
      );
    }
    writeFileAtomic(this.file, safeStorage.encryptString(JSON.stringify(values)), 0o600);
  }
}
