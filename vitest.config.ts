import { transform } from 'esbuild';
import { defineConfig, type Plugin } from 'vitest/config';

/**
 * Vite's TypeScript transform (oxc) keeps TC39 decorators, which Node 20 cannot parse; esbuild
 * lowers them (as tsx and bundlers do), so `@jit` works in tests as it does for users.
 */
const lowerDecorators: Plugin = {
  name: 'paradox:lower-decorators',
  enforce: 'pre',
  async transform(code, id) {
    if (!id.endsWith('.ts') || !/^\s*@[A-Za-z_$]/m.test(code)) return null;
    const out = await transform(code, {
      loader: 'ts',
      format: 'esm',
      target: 'es2022',
      sourcemap: true,
      sourcefile: id,
    });
    return { code: out.code, map: out.map };
  },
};

// One root run over every package; `@paradox/development` resolves @paradox/* to their TypeScript sources.
export default defineConfig({
  plugins: [lowerDecorators],
  resolve: { conditions: ['@paradox/development'] },
  ssr: { resolve: { conditions: ['@paradox/development'] } },
  test: {
    include: ['packages/**/test/**/*.test.ts', 'apps/**/test/**/*.test.ts', 'examples/**/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
