// Injected into the CommonJS bundles by build.mjs: import.meta.url there is the bundle's own file URL. Made at the
// first read: the few engine functions that need it (finding better-sqlite3, the store template) run after start,
// and converting the path at load cost every start ~0.3 ms.
/* global require, __filename */
let url;
export const import_meta = {
  get url() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS output: require is what exists there
    return (url ??= require('node:url').pathToFileURL(__filename).href);
  },
};
