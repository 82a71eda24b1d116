import { GraphBuilder, interpret, printGraph } from '@paradox/ir';
import { getPass, PassFailedError, runPipeline } from '@paradox/pass-manager';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FOLD_MAX_ELEMENTS, foldPass } from '../src/index.js';

const ctx = (options = {}) => ({ options, logger: { debug() {}, info() {}, warn() {} }, outputs: {} });

/** iota(n) * 2 + 1: foldable when n is within the cap. */
function iotaGraph(n: number) {
  const b = new GraphBuilder('f');
  const i = b.op('iota', [], { shape: [n], axis: 0, dtype: 'int32' });
  const two = b.op('constant', [], { value: 2, dtype: 'int32' });
  const one = b.op('constant', [], { value: 1, dtype: 'int32' });
  return b.output(b.op('add', [b.op('mul', [i, two]), one])).build();
}

describe('fold', () => {
  it('registers itself as "fold" on import', () => {
    expect(getPass('fold')).toBe(foldPass);
  });

  it('folds through the reference interpreter into new constants', () => {
    const g = iotaGraph(5);
    const { graph, stats } = foldPass.run(g, ctx());
    expect(stats).toEqual({ nodesFolded: 2, nodesSimplified: 0 });
    const out = graph.outputs[0]!;
    const constant = graph.constants.find((c) => c.id === out)!;
    expect(graph.buffers[constant.buffer]).toEqual(new Int32Array([1, 3, 5, 7, 9]));
    expect(g.constants).toHaveLength(0); // the input is untouched
  });

  it('does not materialize results above maxElements (default 1024)', () => {
    expect(DEFAULT_FOLD_MAX_ELEMENTS).toBe(1024);
    expect(foldPass.run(iotaGraph(1025), ctx()).changed).toBe(false);
    expect(foldPass.run(iotaGraph(1024), ctx()).changed).toBe(true);
    expect(foldPass.run(iotaGraph(5), ctx({ maxElements: 4 })).changed).toBe(false);
    expect(() =>
      runPipeline(iotaGraph(5), 'fold', { passOptions: { fold: { maxElements: 'lots' } } }),
    ).toThrow(PassFailedError);
    expect(() => foldPass.run(iotaGraph(5), ctx({ maxElements: -1 }))).toThrow(
      /maxElements must be a number >= 0/,
    );
  });

  it('never evaluates impure ops', () => {
    const b = new GraphBuilder('f');
    const r = b.op('random', [], { seed: 3, shape: [2], dtype: 'float32', distribution: 'uniform' });
    const g = b.output(b.op('exp', [r])).build();
    expect(foldPass.run(g, ctx()).changed).toBe(false);
  });

  it('keeps the source location of a node rewritten in place', () => {
    const b = new GraphBuilder('f');
    const x = b.input('x', { dtype: 'float32', shape: [2, 3, 4] });
    const t1 = b.op('transpose', [x], { perm: [2, 0, 1] });
    const where = { file: 'net.ts', line: 42, column: 7 };
    const t2 = b.op('transpose', [t1], { perm: [0, 2, 1] }, where);
    const g = b.output(t2).build();
    const { graph } = foldPass.run(g, ctx());
    const rewritten = graph.nodes.find((n) => n.id === t2)!;
    expect(rewritten).toMatchObject({
      op: 'transpose',
      inputs: [x],
      attrs: { perm: [2, 1, 0] },
      source: where,
    });
    const input = Float32Array.from({ length: 24 }, (_, i) => i);
    expect(interpret(graph, [input])[0]!.data).toEqual(interpret(g, [input])[0]!.data);
  });

  it('simplifies x * 0 to zeros for int32 only', () => {
    const build = (dtype: 'int32' | 'float32') => {
      const b = new GraphBuilder('f');
      const x = b.input('x', { dtype, shape: [3] });
      return b.output(b.op('mul', [x, b.op('constant', [], { value: 0, dtype })])).build();
    };
    expect(printGraph(foldPass.run(build('int32'), ctx()).graph)).toContain(
      'full {value=0, shape=[3], dtype="int32"}',
    );
    expect(foldPass.run(build('float32'), ctx()).changed).toBe(false);
    // Why not for floats: the result depends on x (Inf * 0 is NaN, -1 * 0 is -0).
    const x = new Float32Array([Number.POSITIVE_INFINITY, -1, 2]);
    expect(interpret(build('float32'), [x])[0]!.data).toEqual(new Float32Array([Number.NaN, -0, 0]));
  });
});
