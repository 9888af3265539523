import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';

// The renderer is built once and loaded both by Electron (file://) and by serve mode (http), hence base './'.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
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
          id.includes('node_modules/react') || id.includes('node_modules/scheduler')
            ? 'react'
            : id.includes('node_modules/marked') || id.includes('node_modules/dompurify')
              ? 'markdown'
              : undefined,
      },
    },
  },
});
