// Injected into the CommonJS bundles by build.mjs: import.meta.url there is the bundle's own file URL.
/* global require, __filename */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS output: require is what exists there
export const import_meta_url = require('node:url').pathToFileURL(__filename).href;
