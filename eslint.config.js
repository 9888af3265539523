import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import i18next from 'eslint-plugin-i18next';

/**
 * Literals the i18n rule lets through: names and symbols that read the same in every language (product, model
 * and pollutant names, units, punctuation). Anything else shown to the user belongs in the locale files.
 */
const UNTRANSLATED_WORDS = [
  // Numbers, punctuation and symbols (arrows, bullets, stars) read the same everywhere.
  '[0-9!-/:-@[-`{-~\\s·…–—‹›×←→↑↓↵⤓■★☆•✓✕⚠°µ³]+',
  '[A-Z_-]+',
  /^\p{Emoji}+$/u,
  // Addresses and paths given as examples.
  'https?://\\S+',
  '/\\S+',
  '[A-Z]:\\\\\\S*',
  // Product, format, model and pollutant names.
  'AERIS-AQ',
  'Ollama',
  'AirQo',
  'OpenAQ',
  'WAQI',
  'PM2\\.5',
  'PM10',
  'NO₂|O₃|SO₂|CO|NO2|O3|SO2',
  'µg/m³',
  '(⤓ )?(Markdown|JSON|PNG)',
  'English|Français|Kiswahili',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'test-results/**', '.tmp/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // Type-aware rules: each file is checked with the tsconfig that owns it (root, renderer, electron).
      parserOptions: {
        projectService: {
          // The preload script belongs to the Electron shell's program (main/electron/tsconfig.json).
          allowDefaultProject: ['preload/index.ts'],
          defaultProject: 'main/electron/tsconfig.json',
        },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: {
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-empty-object-type': 'off',
      'no-empty-pattern': 'off',
      // Async functions here implement promise-returning interfaces (tools, CLI commands, handlers).
      '@typescript-eslint/require-await': 'off',
    },
  },
  // Tests read untyped JSON from real HTTP answers and files, and hand methods to expect/spies.
  {
    files: ['**/*.test.{ts,tsx}', 'test/**', 'e2e/**', 'bench/**', '**/test-support/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  // Zustand store actions are closures typed as methods, destructured from getState(): nothing binds `this`.
  { files: ['renderer/**/*.{ts,tsx}'], rules: { '@typescript-eslint/unbound-method': 'off' } },
  // Left for the renderer's own branch (issue 12, renderer work in parallel): `eslint --fix` clears these.
  {
    files: ['renderer/src/**/*.test.ts', 'renderer/src/test-support/**'],
    rules: { '@typescript-eslint/no-unnecessary-type-assertion': 'off' },
  },
  // Plain JavaScript (scripts, configs) is not in a tsconfig: no type-aware rules there.
  { files: ['**/*.{js,mjs,cjs}'], ...tseslint.configs.disableTypeChecked },
  // CommonJS config files (dependency-cruiser reads .cjs).
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  // Layering: only the Electron shell and the preload may import electron; the renderer never imports main.
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only main/electron/ may import electron.' }] },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to the contract only.' }],
          patterns: [
            { group: ['**/main/**'], message: 'The renderer talks to the contract (preload/contract.ts) only.' },
          ],
        },
      ],
    },
  },
  // No module-level mutable state in the renderer: a top-level `let`/`var` is shared by every test that imports
  // the module and survives between them, and hides a dependency a store or component should be handed. State
  // belongs in a store built by a factory (stores/), collaborators in deps, a lazy value in a const memo (lib/memo.ts).
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    ignores: ['renderer/src/**/*.test.{ts,tsx}', 'renderer/src/test-support/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['Program > VariableDeclaration', 'Program > ExportNamedDeclaration > VariableDeclaration'].map((path) => ({
          selector: `${path}[kind!="const"]`,
          message:
            'No module-level mutable state in the renderer: put it in a store made by a factory, pass collaborators in deps, or keep a lazy value in a const memo (lib/memo.ts).',
        })),
      ],
    },
  },
  // The React UI: hooks used by the rules, and accessibility checked in the JSX.
  {
    files: ['renderer/**/*.tsx'],
    ...jsxA11y.flatConfigs.recommended,
  },
  {
    files: ['renderer/**/*.tsx'],
    rules: {
      // A log that scrolls on its own must be reachable with Tab (WCAG 2.1.1, axe scrollable-region-focusable).
      'jsx-a11y/no-noninteractive-tabindex': ['error', { roles: ['tabpanel', 'log'], tags: [] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  // Every word the UI shows goes through t() (renderer/src/i18n/locales): text in JSX, and the attributes a
  // user reads or hears (labels, titles, placeholders). Product, model and pollutant names may stay literal.
  {
    files: ['renderer/src/**/*.tsx'],
    ignores: ['renderer/src/**/*.test.tsx', 'renderer/src/test-support/**'],
    plugins: { i18next },
    rules: {
      'i18next/no-literal-string': [
        'error',
        {
          mode: 'jsx-only',
          'jsx-attributes': { include: ['aria-label', 'aria-description', 'title', 'placeholder', 'alt', 'label'] },
          // Key names in <kbd> and code in <code> are not words to translate; <Trans> holds translated text.
          'jsx-components': { exclude: ['Trans', 'kbd', 'code'] },
          words: { exclude: UNTRANSLATED_WORDS },
          callees: {
            exclude: ['i18n(ext)?', 't', 'shortcutText', 'replace', 'includes', 'startsWith', 'endsWith', 'indexOf'],
          },
        },
      ],
    },
  },
);
