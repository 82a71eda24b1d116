import { defaultClientConditions, defineConfig } from 'vite';

// The Paradox packages resolve to their TypeScript sources (the `@paradox/development` condition), as in vitest.
export default defineConfig({
  root: import.meta.dirname,
  resolve: { conditions: ['@paradox/development', ...defaultClientConditions] },
  server: { host: '127.0.0.1', strictPort: false },
  // Found up front, so the first page load is not reloaded when the optimizer meets them.
  optimizeDeps: { include: ['codemirror', '@codemirror/lang-javascript', 'elkjs/lib/elk.bundled.js'] },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4000 },
});
