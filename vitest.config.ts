import { defineConfig } from 'vitest/config';

// The UI runs on Preact's compat layer (renderer/vite.config.ts); its tests run the same runtime.
const PREACT_ALIASES = [
  { find: /^react$/, replacement: 'preact/compat' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react\/jsx-runtime$/, replacement: 'preact/compat/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/compat/jsx-dev-runtime' },
];
/**
 * react-i18next's hook comes from use-sync-external-store's shim, a CommonJS file that requires 'react': the
 * build's CommonJS step sends that require through the aliases above; Node would not, so the shim itself is
 * pointed at Preact's (same) hook here.
 */
const DOM_ALIASES = [
  ...PREACT_ALIASES,
  { find: /^use-sync-external-store\/shim(\/index\.js)?$/, replacement: 'preact/compat' },
];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // CI also writes a JSON report, from which .ci/run prints one closing count line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: process.env.CI ? { json: '.tmp/vitest-report.json' } : undefined,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['main/**/*.test.ts', 'preload/**/*.test.ts', 'e2e/emulators/**/*.test.ts', 'test/**/*.test.ts'],
          environment: 'node',
        },
      },
      // Renderer logic (stores, bridge, i18n): plain Node, as before.
      {
        extends: true,
        resolve: { alias: PREACT_ALIASES },
        // The UI fetches its language before it renders; tests get English up front.
        test: {
          name: 'renderer',
          include: ['renderer/src/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['renderer/src/test-support/english.ts'],
        },
      },
      // Renderer components (*.test.tsx): rendered into jsdom's document and queried like a user.
      {
        extends: true,
        resolve: { alias: DOM_ALIASES },
        test: {
          name: 'renderer-dom',
          include: ['renderer/src/**/*.test.tsx'],
          environment: 'jsdom',
          setupFiles: ['renderer/src/test-support/dom-setup.ts', 'renderer/src/test-support/english.ts'],
          // Libraries that import 'react' run through the aliases too (Node would load React itself for them).
          server: { deps: { inline: ['react-i18next', 'zustand'] } },
        },
      },
    ],
    // `npm run coverage:renderer`: what the renderer tests exercise of renderer/src, failing below 60% of lines.
    coverage: {
      provider: 'v8',
      include: ['renderer/src/**/*.{ts,tsx}'],
      exclude: [
        'renderer/src/**/*.test.{ts,tsx}',
        'renderer/src/test-support/**',
        'renderer/src/**/*.d.ts',
        // Entry points that only mount the app or Swagger UI on a real page.
        'renderer/src/main.tsx',
        'renderer/src/docs/docs-page.ts',
      ],
      reporter: ['text-summary', 'text'],
      reportsDirectory: '.tmp/coverage-renderer',
      thresholds: { lines: 60 },
    },
  },
});
