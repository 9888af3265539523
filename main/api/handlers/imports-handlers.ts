import { engineMessage } from '../../../preload/shared/engine-messages';
import path from 'node:path';
import type { IMPORTS_CALLS } from '../../../preload/contract';
import { AppError } from '../../core/errors';
import type { Engine } from '../../engine';
import type { HandlersOf } from '../handler-types';
import { confinePath } from '../serve-paths';

/** Sensor-file imports and the imported-data page's queries. Inputs arrive validated (see dispatch). */
const notAbsolute = () =>
  new AppError('bad_request', 'The file path must be absolute.', {}, engineMessage('error.pathNotAbsolute', {}));

export function importsHandlers(engine: Engine, shell: 'electron' | 'serve'): HandlersOf<keyof typeof IMPORTS_CALLS> {
  return {
    'imports.run': ({ path: file, format, site, timeZone, importId }) => {
      // A browser talking to serve mode uploads the file instead: it should not name paths on the server.
      confinePath(engine, shell, file, null, 'importing a sensor file');
      if (!path.isAbsolute(file)) throw notAbsolute();
      return engine.imports.importFile(file, {
        ...(format ? { format } : {}),
        ...(site ? { siteName: site } : {}),
        ...(timeZone ? { timeZone } : {}),
        ...(importId ? { importId } : {}),
      });
    },
    'imports.legacy': ({ path: file }) => {
      // As for sensor files: a browser uploads the database (POST /api/v1/imports/legacy), never names a path.
      confinePath(engine, shell, file, null, "importing the original server's database");
      if (!path.isAbsolute(file)) throw notAbsolute();
      return engine.conversations.importLegacy(file, engine.clock.now());
    },
    // The engine looks where the original server keeps its file and imports that one: a browser names no path.
    'imports.legacyFound': () => engine.conversations.findLegacy(),
    'imports.legacyImportFound': () => engine.conversations.importFoundLegacy(engine.clock.now()),
    'imports.list': () => ({ imports: engine.imports.list() }),
    'imports.sites': () => ({ sites: engine.imports.sites() }),
    'imports.series': (q) => engine.imports.series(q),
    'imports.dailyMeans': (q) => engine.imports.dailyMeans(q),
    'imports.delete': ({ id }) => engine.imports.delete(id),
  };
}
