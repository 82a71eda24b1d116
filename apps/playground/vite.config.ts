import { defaultClientConditions, defineConfig } from 'vite';

// The Paradox packages resolve to their TypeScript sources (the `development` condition), as in vitest.
export default defineConfig({
  root: import.meta.dirname,
  resolve: { conditions: ['development', ...defaultClientConditions] },
  server: { host: '127.0.0.1', strictPort: false },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4000 },
});
