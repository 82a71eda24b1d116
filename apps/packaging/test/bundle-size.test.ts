import { describe, expect, it } from 'vitest';
import { bundleSize, largest, overBudget } from '../src/bundle-size.js';
import { ROOT } from '../src/workspace.js';

/** The page of the consumer test's size check, bundled from the workspace's sources. */
const PAGE = `import { jit, tensor } from '@paradox/core';
const layer = (x, w) => x.matmul(w).add(1).relu();
window.result = Array.from(jit(layer)(tensor([[1, 2], [3, 4]]), tensor([[1, -2], [0, 1]])).dataSync());`;

describe("@paradox/core's browser bundle", () => {
  it('stays within its size budget (zod through zod/mini)', async () => {
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      stdin: { contents: PAGE, resolveDir: ROOT, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      conditions: ['@paradox/development'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const size = bundleSize(result.metafile);
    // The bundle holds what the page runs: the tracer, the IR and the js backend.
    expect([...size.byPackage.keys()]).toEqual(
      expect.arrayContaining(['@paradox/tracer', '@paradox/ir', '@paradox/backend-js', 'zod']),
    );
    expect(overBudget(size), largest(size)).toEqual([]);
  });
});
