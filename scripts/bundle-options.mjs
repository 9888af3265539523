// esbuild options shared by build.mjs and the tests that bundle the engine (test/helpers/build-cli.ts),
// so a test runs what `npm run build` makes.
import path from 'node:path';
import { createRequire } from 'node:module';

/**
 * zod re-exports all of its ~120 message locales as `z.locales`; the app uses only the default (English), which
 * zod imports on its own. Resolving the locales index to English alone takes ~250 KB off every bundle. Both of
 * zod's builds: the ES one (the renderer, Electron's preload) and the CommonJS one (the engine, see lazyZod).
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.c?js$/ }, (args) => {
      if (!/[\\/]zod[\\/]/.test(args.importer)) return undefined;
      const cjs = args.path.endsWith('.cjs');
      const en = path.join(path.dirname(args.importer), `../locales/en.${cjs ? 'cjs' : 'js'}`);
      return { path: `zod-locales-en.${cjs ? 'cjs' : 'js'}`, namespace: 'zod-locales', pluginData: { en, cjs } };
    });
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, ({ pluginData: { en, cjs } }) => ({
      // en.cjs sets module.exports to the locale function itself.
      contents: cjs
        ? `module.exports = { en: require(${JSON.stringify(en)}) };`
        : `export { default as en } from ${JSON.stringify(en)};`,
      loader: 'js',
      resolveDir: path.dirname(en),
    }));
  },
};

/**
 * The ollama package imports whatwg-fetch, a browser polyfill that installs fetch only where there is none. Node
 * and Electron's main process have fetch, so it never installs anything, yet its classes and feature checks were
 * read, compiled and run at every start: it is an empty module in the engine's bundles.
 */
const noFetchPolyfill = {
  name: 'no-fetch-polyfill',
  setup(b) {
    b.onResolve({ filter: /^whatwg-fetch$/ }, () => ({ path: 'whatwg-fetch', namespace: 'no-fetch-polyfill' }));
    b.onLoad({ filter: /.*/, namespace: 'no-fetch-polyfill' }, () => ({ contents: '', loader: 'js' }));
  },
};

/**
 * Cloud-provider SDKs are needed only once such a provider is set up, yet with their dependencies they are
 * ~2 MB of the bundle that node would read and compile at every start. They stay out of the bundle: the
 * import of each named class becomes a stand-in that requires the package from node_modules (a production
 * dependency, shipped with the app) the first time the class is constructed. node:worker_threads is loaded the same
 * way, at the first Worker. A new value import from these
 * packages fails the build ("No matching export") until it is listed here.
 */
const LAZY_CLASSES = {
  openai: ['OpenAI', 'default'],
  '@google/genai': ['GoogleGenAI'],
  // Not in node's start-up snapshot: requiring it costs a few ms of every start, yet workers start only later.
  'node:worker_threads': ['Worker'],
  // For reading web pages only; with domutils and two copies of entities it builds decode tables at load.
  htmlparser2: ['Parser'],
};
const lazyClasses = {
  name: 'lazy-classes',
  setup(b) {
    const names = Object.keys(LAZY_CLASSES).map((n) => n.replace(/[/.@-]/g, '\\$&'));
    const filter = new RegExp(`^(${names.join('|')})$`);
    b.onResolve({ filter }, (args) =>
      args.namespace === 'lazy-classes'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'lazy-classes' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-classes' }, (args) => {
      const pkg = JSON.stringify(args.path);
      const [cls, ...aliases] = LAZY_CLASSES[args.path];
      const lines = [
        'let loaded;',
        `const load = () => (loaded ??= require(${pkg}).${cls});`,
        `export function ${cls}(...args) { return new (load())(...args); }`,
        ...aliases.map((a) => `export { ${cls} as ${a} };`),
      ];
      return { contents: lines.join('\n'), loader: 'js', resolveDir: import.meta.dirname };
    });
  },
};

/**
 * Built-in modules outside node's start-up snapshot that the engine needs only later: node:https brings tls and
 * crypto, zlib and readline a little more. Their imports become stand-ins that require the module at the first
 * use: the listed functions, and the default import as an object that forwards every property. A new named
 * import fails the build ("No matching export") until it is listed here.
 */
const LAZY_FUNCTIONS = {
  'node:https': [],
  'node:zlib': [],
  'node:readline': [],
  // For starting Ollama and the hardware probes, which run after the server listens.
  'node:child_process': ['spawn', 'execFile', 'execFileSync'],
  // Only the hardware probes read files through promises.
  'node:fs/promises': [],
  // ~2.5 ms to load, and nothing before the first answer needs it (the API token from the environment, the
  // data-dir lock's nonce from Math.random): uploads, backups, hashes and a generated token load it.
  'node:crypto': ['randomBytes', 'randomUUID', 'createHash', 'timingSafeEqual'],
};
const lazyFunctions = {
  name: 'lazy-functions',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(LAZY_FUNCTIONS).join('|').replace(/\//g, '\\/')})$`);
    b.onResolve({ filter }, (args) =>
      args.namespace === 'lazy-functions'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'lazy-functions' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-functions' }, (args) => {
      const lines = [
        'let loaded;',
        `const load = () => (loaded ??= require(${JSON.stringify(args.path)}));`,
        'export default new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });',
        ...LAZY_FUNCTIONS[args.path].map((f) => `export function ${f}(...args) { return load().${f}(...args); }`),
      ];
      return { contents: lines.join('\n'), loader: 'js', resolveDir: import.meta.dirname };
    });
  },
};

/**
 * esbuild gives every file that imports a built-in (`import fs from 'node:fs'`) its own copy of the module's
 * properties (`__toESM`); with ~60 files importing node:fs that was a few ms of every start. Imports of a
 * built-in go through one shared module per built-in instead, which copies them once.
 */
const sharedBuiltins = {
  name: 'shared-builtins',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => {
      if (args.namespace === 'shared-builtins') return { path: args.path, external: true };
      if (args.kind !== 'import-statement') return undefined;
      return { path: args.path, namespace: 'shared-builtins' };
    });
    b.onLoad({ filter: /.*/, namespace: 'shared-builtins' }, (args) => {
      const id = JSON.stringify(args.path);
      return { contents: `import m from ${id};\nexport default m;\nexport * from ${id};`, loader: 'js' };
    });
  },
};

/**
 * zod's own start-up, ~190 KB of the bundle defining several hundred schema classes, ran at every start although
 * the engine's schemas are made at their first use (preload/shared/lazy.ts) and nothing before the first answer
 * needs one. `import { z } from 'zod'` in the engine resolves to a stand-in whose properties load zod at the
 * first read. The stand-in loads zod's CommonJS build: esbuild keeps each of its files in a closure run at the
 * first require, where the ES build's ~1,200 export getters would still be defined at every start. The stand-in's
 * keys are zod's own, read here at build time, so every `z.x` the engine may use is there.
 */
const RESOLVING = Symbol('zod itself');
const lazyZod = {
  name: 'lazy-zod',
  setup(b) {
    b.onResolve({ filter: /^zod$/ }, async (args) => {
      if (args.pluginData === RESOLVING || /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)) return undefined;
      const real = await b.resolve('zod', { kind: 'require-call', resolveDir: args.resolveDir, pluginData: RESOLVING });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: 'zod', namespace: 'lazy-zod', pluginData: real.path };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-zod' }, (args) => {
      const real = args.pluginData;
      const { z } = createRequire(import.meta.url)(real);
      const keys = Object.keys(z).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));
      const lines = [
        'let loaded;',
        `const load = () => (loaded ??= require(${JSON.stringify(real)}).z);`,
        `export const z = { ${keys.map((k) => `get ${k}() { return load().${k}; }`).join(', ')} };`,
        'export default z;',
      ];
      return { contents: lines.join('\n'), loader: 'js', resolveDir: path.dirname(real) };
    });
  },
};

export const nodeBundle = {
  plugins: [zodEnglishOnly],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Native and Electron modules load at run time from node_modules.
  external: ['better-sqlite3', 'electron'],
  // Less source for node to read and compile at every start. No keepNames: it wrapped ~1240 functions and classes
  // in a defineProperty('name') call at load, ~4-9 ms of CPU and ~800 KB of heap in every start (issue 14). The
  // engine's errors set their own `name`, and stack frames show minified names either way.
  minify: true,
};

// CommonJS has no import.meta; engine code uses import.meta.url (to resolve modules, as it does under tsx
// and Vitest), so the engine's bundles define it as their own file's URL.
export const engineBundle = {
  ...nodeBundle,
  // After the lazy ones, which take their built-ins first.
  plugins: [...nodeBundle.plugins, lazyZod, noFetchPolyfill, lazyClasses, lazyFunctions, sharedBuiltins],
  // exceljs loads at the first workbook import (a dynamic import), from node_modules.
  external: [...nodeBundle.external, 'exceljs'],
  define: { 'import.meta.url': 'import_meta.url' },
  inject: [path.join(import.meta.dirname, 'import-meta-url.js')],
};

/**
 * better-sqlite3's JavaScript (a dozen small files) in the CLI bundle rather than read, resolved and compiled from
 * node_modules at every start: in the bundle it is in the code cache. Only the native addon stays outside; the
 * `bindings` package, which finds it by probing a dozen paths, becomes a require of the addon where
 * `npm install` builds it, next to the package's own files.
 */
const bundledSqlite = {
  name: 'bundled-better-sqlite3',
  setup(b) {
    b.onResolve({ filter: /^bindings$/ }, (args) =>
      /[\\/]better-sqlite3[\\/]/.test(args.importer) ? { path: 'bindings', namespace: 'sqlite-addon' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'sqlite-addon' }, () => ({
      // First where resolution looks first (the package's own node_modules beside dist/), by path, and loaded as
      // require loads a .node file (process.dlopen) without require's resolution of the path: resolving the
      // package name took ~1 ms of every start, and resolving the file ~0.5 ms more. Then resolution.
      contents: [
        "const fs = require('node:fs');",
        "const path = require('node:path');",
        'const load = (file) => {',
        '  const m = { exports: {} };',
        '  process.dlopen(m, file);',
        '  return m.exports;',
        '};',
        'module.exports = (name) => {',
        "  const beside = path.join(__dirname, '..', 'node_modules', 'better-sqlite3', 'build', 'Release', name);",
        '  if (fs.existsSync(beside)) return load(beside);',
        "  return require(path.join(path.dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', name));",
        '};',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

// The CLI bundle runs under dist/cli.cjs, a loader that compiles it with a V8 code cache (code-cache-loader.cjs).
// Its import() calls become require: the loader's vm.Script has no module loader for them.
export const cliBundle = {
  ...engineBundle,
  plugins: [...engineBundle.plugins, bundledSqlite],
  external: [...engineBundle.external.filter((e) => e !== 'better-sqlite3'), 'better-sqlite3/package.json'],
  supported: { 'dynamic-import': false },
};
