import { describe, expect, it } from 'vitest';
import { DEFAULT_UPLOAD_LIMITS, uploadLimitsFromEnv } from './upload-limits';

describe('upload limits from the environment', () => {
  it('takes a positive byte count for each limit on its own, else its default', () => {
    expect(uploadLimitsFromEnv({})).toEqual({ importMaxBytes: 512 * 1024 * 1024, backupUploadMaxBytes: 4 * 1024 ** 3 });
    expect(uploadLimitsFromEnv({ AERIS_IMPORT_MAX_BYTES: '1000' })).toEqual({
      importMaxBytes: 1000,
      backupUploadMaxBytes: DEFAULT_UPLOAD_LIMITS.backupUploadMaxBytes,
    });
    expect(uploadLimitsFromEnv({ AERIS_BACKUP_UPLOAD_MAX_BYTES: '2048' })).toEqual({
      importMaxBytes: DEFAULT_UPLOAD_LIMITS.importMaxBytes,
      backupUploadMaxBytes: 2048,
    });
    for (const bad of ['', '0', '-5', 'lots', 'Infinity']) {
      expect(uploadLimitsFromEnv({ AERIS_IMPORT_MAX_BYTES: bad, AERIS_BACKUP_UPLOAD_MAX_BYTES: bad }), bad).toEqual(
        DEFAULT_UPLOAD_LIMITS,
      );
    }
  });
});
