/**
 * Issue #24 item 7 (WGSL renderer): a kernel of one 12,000-expr chain overflowed the stack while
 * rendering (recursive reachability over operands). Rendering is iterative now.
 */
import type { IndexExpr, Kernel, KernelProgram, ScalarExpr } from '@paradox/ir';
import { afterAll, describe, expect, it } from 'vitest';
import { createWgslBackend, DEFAULT_RENDER_OPTIONS, nodeGpu, renderKernel } from '../src/index.js';
import { oneKernelProgram } from './programs.js';

const axis: IndexExpr = { k: 'axis', axis: 0 };
const rowPoint: IndexExpr = { k: 'add', a: { k: 'mul', a: axis, c: 8 }, b: { k: 'raxis', axis: 0 } };

/** `abs` then `neg`, alternating, `length` times over x[i] (a reduce kernel sums the chain over 8 points). */
function chainProgram(length: number, kind: 'elementwise' | 'reduce'): KernelProgram {
  const exprs: ScalarExpr[] = [
    { op: 'load', dtype: 'float32', buffer: 0, index: kind === 'reduce' ? rowPoint : axis },
  ];
  for (let i = 0; i < length; i++)
    exprs.push({ op: 'unary', fn: i % 2 === 0 ? 'abs' : 'neg', dtype: 'float32', a: exprs.length - 1 });
  if (kind === 'reduce') exprs.push({ op: 'reduce', fn: 'sum', dtype: 'float32', a: exprs.length - 1 });
  const kernel: Kernel = {
    name: 'k0',
    kind,
    domain: [8],
    ...(kind === 'reduce' ? { reduce: { shape: [8] } } : {}),
    exprs,
    stores: [{ buffer: 1, index: axis, value: exprs.length - 1 }],
  };
  return oneKernelProgram(kernel, [64], [8]);
}

const backend = createWgslBackend({ name: 'wgsl-chain', gpu: nodeGpu() });
afterAll(() => backend.dispose());

describe('long expression chains', () => {
  it.each(['elementwise', 'reduce'] as const)('renders a 100,000-op %s chain', (kind) => {
    const program = chainProgram(100_000, kind);
    const { source } = renderKernel(program.kernels[0]!, 0, DEFAULT_RENDER_OPTIONS);
    // Every op of the chain is one `let`, each reading the previous one.
    expect(source.match(/\bf_abs\(v\d+(_\d)?\)/g)?.length).toBeGreaterThanOrEqual(50_000);
    expect(source).toMatch(/let v100000(_0)? = \(-v99999(_0)?\)/);
  });

  // SwiftShader compiles long shaders slowly (2,000 ops: ~45 s), so the run uses a short chain.
  it('runs a 200-op chain: -|x| per element, and its sum over rows', async () => {
    const x = Float32Array.from({ length: 64 }, (_, i) => (i % 5) - 2.5);
    for (const kind of ['elementwise', 'reduce'] as const) {
      const program = chainProgram(200, kind);
      const exe = await backend.compile(program);
      const input = backend.allocate('float32', 64);
      backend.upload(input, x);
      const [out] = await exe.run([input]);
      const got = Array.from(await backend.download(out!));
      const want = Array.from({ length: 8 }, (_, i) =>
        kind === 'elementwise'
          ? -Math.abs(x[i]!)
          : x.slice(i * 8, i * 8 + 8).reduce((s, v) => Math.fround(s - Math.abs(v)), 0),
      );
      expect(got).toEqual(want);
      backend.free(out!);
      backend.free(input);
      exe.dispose();
    }
  });
});
