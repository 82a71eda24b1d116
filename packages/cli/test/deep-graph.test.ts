import { type Graph, GraphBuilder, interpret } from '@paradox/ir';
import { runPipeline } from '@paradox/pass-manager';
import { describe, expect, it } from 'vitest';
import '../src/passes.js';

/** `length` unary ops in one chain (issue #24 item 7, #18 item 10): deep enough to overflow recursion. */
function chain(length: number, step: (b: GraphBuilder, v: string, i: number, x: string) => string): Graph {
  const b = new GraphBuilder('deep');
  const x = b.input('x', { dtype: 'float32', shape: [2, 3] });
  let v = x;
  for (let i = 0; i < length; i++) v = step(b, v, i, x);
  b.output(v);
  return b.build();
}

const WGSL_LIKE = { dtypes: ['float32' as const], ops: new Set<string>(), maxBuffersPerKernel: 8 };

describe('passes on very deep graphs never recurse per node', () => {
  it('a 100,000-op elementwise chain goes through the default pipeline in one kernel', () => {
    const ops = ['sin', 'neg', 'tanh', 'abs'] as const;
    const graph = chain(100_000, (b, v, i) => b.op(ops[i % 4]!, [v]));
    const { graph: out, stats, outputs } = runPipeline(graph, 'default', { capabilities: WGSL_LIKE });
    expect(stats.fusion?.kernels).toBe(1);
    expect(outputs.fusionReport?.kernels[0]?.nodes).toHaveLength(100_000);
    const x = { dtype: 'float32' as const, shape: [2, 3], data: Float32Array.from([-2, -1, 0, 1, 2, 3]) };
    const f: Record<(typeof ops)[number], (e: number) => number> = {
      sin: Math.sin,
      neg: (e) => -e,
      tanh: Math.tanh,
      abs: Math.abs,
    };
    const expected = [...x.data].map((e) => {
      for (let i = 0; i < 100_000; i++) e = Math.fround(f[ops[i % 4]!](e));
      return e;
    });
    const actual = [...interpret(out, [x])[0]!.data];
    for (const [i, a] of actual.entries()) expect(a).toBeCloseTo(expected[i]!, 5);
  }, 120_000);

  it('a 100,000-op chain reading the input at every step, and one of views, pass every pass', () => {
    const sums = chain(100_000, (b, v, _i, x) => b.op('add', [v, x]));
    expect(runPipeline(sums, 'default', { capabilities: WGSL_LIKE }).stats.fusion?.kernels).toBe(1);
    const views = chain(30_000, (b, v, i) =>
      i % 3 === 0
        ? b.op('transpose', [v], { perm: [1, 0] })
        : i % 3 === 1
          ? b.op('reshape', [v], { shape: [b.typeOf(v).shape[0]! * b.typeOf(v).shape[1]!] })
          : b.op('reshape', [b.op('exp', [v])], { shape: [3, 2].reverse() }),
    );
    expect(runPipeline(views, 'default', { capabilities: WGSL_LIKE }).stats.fusion?.kernels).toBe(1);
  }, 120_000);

  it('a 10,000-step chain of softmax-like kernels (a reduction and its second pass each)', () => {
    const graph = chain(10_000, (b, v) => {
      const s = b.op('sum', [v], { axes: [1], keepdims: true });
      return b.op('sub', [v, b.op('broadcast', [s], { shape: [2, 3] })]);
    });
    const { stats } = runPipeline(graph, 'default', { capabilities: WGSL_LIKE });
    expect(stats.fusion?.kernels).toBe(10_000);
  }, 120_000);
});
