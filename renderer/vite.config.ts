import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';

// The renderer is built once and loaded both by Electron (file://) and by serve mode (http), hence base './'.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  // The UI is written against React's API and runs on Preact's compat layer: about 12 KB gzip where react-dom
  // is 67 KB, which is what keeps the first screen's script under its 80 KB budget (bench/ui.bench.ts).
  // Types still come from @types/react; only the bundle swaps the runtime (dev and build alike).
  resolve: {
    alias: [
      { find: /^react$/, replacement: 'preact/compat' },
      { find: /^react-dom$/, replacement: 'preact/compat' },
      { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
      { find: /^react\/jsx-runtime$/, replacement: 'preact/compat/jsx-runtime' },
      { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/compat/jsx-dev-runtime' },
    ],
  },
  build: {
    outDir: path.resolve(import.meta.dirname, '../dist/renderer'),
    emptyOutDir: true,
    // No source map in what ships (1.7 MB nobody downloads on purpose); `node scripts/build.mjs --sourcemap` makes one.
    sourcemap: false,
    target: 'chrome120',
    rollupOptions: {
      output: {
        // Libraries change less often than the app: their own chunks stay cached across app updates.
        manualChunks: (id: string) =>
          id.includes('node_modules/preact')
            ? 'preact'
            : id.includes('node_modules/marked') || id.includes('node_modules/dompurify')
              ? 'markdown'
              : undefined,
      },
    },
  },
});
