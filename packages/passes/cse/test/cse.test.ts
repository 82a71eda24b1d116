import { GraphBuilder, interpret } from '@paradox/ir';
import { getPass } from '@paradox/pass-manager';
import { describe, expect, it } from 'vitest';
import { canonicalKey, csePass } from '../src/index.js';

const ctx = { options: {}, logger: { debug() {}, info() {}, warn() {} }, outputs: {} };

describe('canonicalKey', () => {
  it('ignores key order but keeps values JSON would conflate apart', () => {
    expect(canonicalKey({ b: [1, 2], a: { y: null, x: 'q' } })).toBe(
      canonicalKey({ a: { x: 'q', y: null }, b: [1, 2] }),
    );
    const distinct = [0, -0, Number.NaN, null, Number.POSITIVE_INFINITY, '0', [0], { v: 0 }, { v: -0 }];
    expect(new Set(distinct.map(canonicalKey)).size).toBe(distinct.length);
  });
});

describe('cse', () => {
  it('registers itself as "cse" on import', () => {
    expect(getPass('cse')).toBe(csePass);
  });

  it("collapses chains of duplicates in one run and keeps the survivor's source location", () => {
    const b = new GraphBuilder('f');
    const x = b.input('x', { dtype: 'float32', shape: [3] });
    const a1 = b.op('exp', [x], {}, { file: 'model.ts', line: 10 });
    const a2 = b.op('exp', [x], {}, { file: 'model.ts', line: 11 });
    const s1 = b.op('sin', [a1]);
    const s2 = b.op('sin', [a2]);
    const g = b.output(b.op('sub', [s1, s2])).build();

    const { graph, changed, stats } = csePass.run(g, ctx);
    expect(changed).toBe(true);
    expect(stats).toEqual({ nodesMerged: 2, constantsMerged: 0 });
    expect(graph.nodes.map((n) => `${n.op}(${n.inputs})`)).toEqual([
      'exp(x)',
      `sin(${a1})`,
      `sub(${s1},${s1})`,
    ]);
    expect(graph.nodes[0]!.source).toEqual({ file: 'model.ts', line: 10 });
    expect(csePass.run(graph, ctx).changed).toBe(false);
    const input = new Float32Array([0.5, -1, 2]);
    expect(interpret(graph, [input])[0]!.data).toEqual(new Float32Array([0, 0, 0]));
  });

  it('merges commutative operands in either order, but not a non-commutative op', () => {
    const b = new GraphBuilder('f');
    const x = b.input('x', { dtype: 'int32', shape: [2] });
    const y = b.input('y', { dtype: 'int32', shape: [2] });
    const g = b
      .output(b.op('maximum', [x, y]), b.op('maximum', [y, x]), b.op('mod', [x, y]), b.op('mod', [y, x]))
      .build();
    const { graph } = csePass.run(g, ctx);
    expect(graph.outputs).toEqual(['0', '0', '2', '3']);
  });

  it('merges nodes on the same operand only when op, attrs, dtype and shape all match', () => {
    const b = new GraphBuilder('f');
    const x = b.input('x', { dtype: 'float32', shape: [2, 3] });
    const outs = [
      b.op('sum', [x], { axes: [0], keepdims: false }),
      b.op('sum', [x], { axes: [1], keepdims: false }), // other attrs
      b.op('sum', [x], { keepdims: false, axes: [0] }), // = the first (attrs compared canonically)
      b.op('max', [x], { axes: [0], keepdims: false }), // other op
      b.op('cast', [x], { dtype: 'int32' }),
      b.op('cast', [x], { dtype: 'float16' }), // other dtype
      b.op('reshape', [x], { shape: [6] }),
      b.op('reshape', [x], { shape: [3, 2] }), // other shape
      b.op('reshape', [x], { shape: [6] }), // = reshape [6]
    ];
    const { graph, stats } = csePass.run(b.output(...outs).build(), ctx);
    expect(stats).toEqual({ nodesMerged: 2, constantsMerged: 0 });
    expect(graph.outputs).toEqual([
      outs[0],
      outs[1],
      outs[0],
      outs[3],
      outs[4],
      outs[5],
      outs[6],
      outs[7],
      outs[6],
    ]);
  });

  it('never merges impure ops', () => {
    const b = new GraphBuilder('f');
    const attrs = { seed: 1, shape: [2], dtype: 'float32', distribution: 'normal' };
    const g = b.output(b.op('random', [], attrs), b.op('random', [], attrs)).build();
    expect(csePass.run(g, ctx).changed).toBe(false);
  });
});

describe('cse after fusion', () => {
  it('does not merge the copies fusion placed in different kernels', () => {
    const b = new GraphBuilder('f');
    const x = b.input('x', { dtype: 'float32', shape: [2] });
    b.output(b.op('exp', [x]), b.op('exp', [x]));
    const g = b.build();
    const grouped = { ...g, nodes: g.nodes.map((n, i) => ({ ...n, group: i })) };
    expect(csePass.run(grouped, ctx).changed).toBe(false);
    expect(csePass.run(g, ctx).changed).toBe(true);
  });
});
