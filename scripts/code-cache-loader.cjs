#!/usr/bin/env node
// Loader of a bundled CLI, written beside it by build.mjs (code-cache-loader.mjs fills in the bundle's name and
// content hash). Node 20 has no module compile cache, and compiling the ~1 MB bundle is a good part of every
// start: this loader compiles it with a V8 code cache kept in the user's cache dir. The cache file's name holds
// the bundle's hash, the node version and the arch, so another build or node never meets it; V8 rejects a
// cache made under other flags; and the file starts with a CRC-32 of its payload, as V8 checks no checksum in
// release builds and would run flipped bytes. A cache missing, rejected or damaged is rewritten at exit; failing
// to read or write it only means an ordinary compile.
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS run by node: require is what exists here */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const BUNDLE = path.join(__dirname, '__BUNDLE__');
const BUILD_HASH = '__BUILD_HASH__';
const SUM_BYTES = 4;

function cacheDir() {
  const env = process.env;
  if (env.AERIS_CODE_CACHE_DIR) return env.AERIS_CODE_CACHE_DIR;
  const home = require('node:os').homedir();
  if (process.platform === 'win32') {
    return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'aeris-aq', 'Cache');
  }
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'aeris-aq');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'aeris-aq');
}

// A CRC-32 guards against damage (a flipped byte, a cut-off write), which is all the checksum is for: whoever can
// write this file could write a matching SHA too. node:crypto took ~3 ms to load, and node:zlib ~1.5 ms of every
// start, for a sum of ~0.2 ms: the native function node:zlib wraps is taken from process.binding, deprecated in
// documentation only. Where node would warn of that (--pending-deprecation) or the binding is gone, node:zlib.
const pendingDeprecation =
  process.execArgv.includes('--pending-deprecation') ||
  /--pending-deprecation/.test(process.env.NODE_OPTIONS || '') ||
  process.env.NODE_PENDING_DEPRECATION === '1';
function crc32Function() {
  if (!pendingDeprecation) {
    try {
      const native = process.binding('zlib').crc32;
      if (typeof native === 'function') return (bytes) => native(bytes, 0);
    } catch {
      // not offered by this node
    }
  }
  return require('node:zlib').crc32;
}
const crc32 = (bytes) => {
  const sum = Buffer.alloc(SUM_BYTES);
  sum.writeUInt32BE(crc32Function()(bytes));
  return sum;
};

/** The cached data, or undefined when there is none or its checksum does not match. */
function readCache(file) {
  try {
    const bytes = fs.readFileSync(file);
    const payload = bytes.subarray(SUM_BYTES);
    return payload.length > 0 && crc32(payload).equals(bytes.subarray(0, SUM_BYTES)) ? payload : undefined;
  } catch {
    return undefined;
  }
}

// 'latin1' when the bundle is pure ASCII (the same text): a one-byte string copied as is, where UTF-8 decoding
// costs a few ms of every start. A single other character makes V8 hold all of it as a two-byte string.
const source = fs.readFileSync(BUNDLE, '__ENCODING__');
const cacheFile =
  process.env.AERIS_CODE_CACHE === '0'
    ? null
    : path.join(cacheDir(), `cli-${BUILD_HASH}-${process.version}-${process.arch}.v8cache`);
const cachedData = cacheFile ? readCache(cacheFile) : undefined;
// The bundle has no import() (build.mjs turns them into require), which a vm.Script could not run.
const script = new vm.Script(Module.wrap(source), { filename: BUNDLE, cachedData });
if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
  // Made at exit, when the functions this run needed have been compiled, so that they are in the cache too.
  process.once('exit', () => {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    try {
      const payload = script.createCachedData();
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      fs.writeFileSync(tmp, Buffer.concat([crc32(payload), payload]));
      fs.renameSync(tmp, cacheFile);
      // The caches of earlier builds would only pile up.
      for (const name of fs.readdirSync(path.dirname(cacheFile))) {
        if (/^cli-.*\.v8cache$/.test(name) && name !== path.basename(cacheFile)) {
          fs.rmSync(path.join(path.dirname(cacheFile), name), { force: true });
        }
      }
    } catch {
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        // nothing was written
      }
    }
  });
}
const mod = new Module(BUNDLE, module);
mod.filename = BUNDLE;
mod.paths = Module._nodeModulePaths(__dirname);
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(BUNDLE), mod, BUNDLE, __dirname);
