import { GraphBuilder } from '@paradox/ir';
import { randomInputs } from '@paradox/ir/testing';
import { describe, expect, test } from 'vitest';
import { isContiguousIndex } from '../src/index.js';
import { checkLowering, f32, group } from './helpers.js';

/** Hand-grouped graphs (what fusion will produce): kernel counts and structure, values against interpret. */
describe('grouped graphs', () => {
  test('an elementwise chain with a broadcast bias is one kernel with contiguous accesses', () => {
    const b = new GraphBuilder('chain');
    const x = b.input('x', f32(4, 8));
    const bias = b.input('b', f32(8));
    const s = b.op('add', [x, b.op('broadcast', [bias], { shape: [4, 8] })]);
    const r = b.op('relu', [s]);
    const t = b.op('tanh', [b.op('mul', [r, b.op('constant', [], { value: 0.5, dtype: 'float32' })])]);
    const g = b.output(t).build();
    group(g, 0, s, r, t, String(Number(t) - 1));
    const p = checkLowering(g);
    expect(p.kernels).toHaveLength(1);
    const k = p.kernels[0]!;
    expect(k.kind).toBe('elementwise');
    const xLoad = k.exprs.find((e) => e.op === 'load' && e.buffer === p.inputs[0]);
    expect(xLoad?.op === 'load' && isContiguousIndex(xLoad.index, k)).toBe(true);
    expect(isContiguousIndex(k.stores[0]!.index, k)).toBe(true);
    expect(k.exprs.filter((e) => e.op === 'const')).toHaveLength(1); // the constant node became an expr
  });

  test('a value read at two places in one kernel is computed once per place, never mixed up', () => {
    // exp(x) is needed at [i, j] (by the add, and again by the mul: one expr) and at [j, i] (through
    // the transpose): lowering memoizes values per place, finding a chain's index by identity.
    const b = new GraphBuilder('places');
    const x = b.input('x', f32(8, 8));
    const e = b.op('exp', [x]);
    const t = b.op('transpose', [e], { perm: [1, 0] });
    const s = b.op('add', [e, t]);
    const m = b.op('mul', [s, e]);
    const g = b.output(m).build();
    group(g, 0, e, t, s, m);
    const p = checkLowering(g);
    expect(p.kernels).toHaveLength(1);
    const k = p.kernels[0]!;
    expect(k.exprs.filter((x) => x.op === 'unary' && x.fn === 'exp')).toHaveLength(2);
    expect(k.exprs.filter((x) => x.op === 'load')).toHaveLength(2);
  });

  test('exprs come out inputs first, in operand order, casts right after their operand', () => {
    // Elementwise inputs are computed ahead of their rule (iteratively) only when that gives the
    // order recursion gives: mul's int32 operand is cast before its float operand is computed.
    const b = new GraphBuilder('order');
    const x = b.input('x', f32(4));
    const y = b.input('y', { dtype: 'int32', shape: [4] });
    const a = b.op('add', [b.op('exp', [x]), b.op('sin', [x])]);
    const m = b.op('mul', [y, a]);
    const g = b.output(m).build();
    group(g, 0, ...g.nodes.map((n) => n.id));
    const k = checkLowering(g).kernels[0]!;
    const spelled = k.exprs.map((e) =>
      e.op === 'load' ? `load b${e.buffer}` : e.op === 'unary' || e.op === 'binary' ? e.fn : e.op,
    );
    expect(spelled).toEqual(['load b1', 'cast', 'load b0', 'exp', 'sin', 'add', 'mul']);
  });

  test('an elementwise prologue fuses into a reduction', () => {
    const b = new GraphBuilder('prologue');
    const x = b.input('x', f32(3, 5));
    const e = b.op('exp', [x]);
    const s = b.op('sum', [e], { axes: [1], keepdims: false });
    const g = b.output(s).build();
    group(g, 0, e, s);
    const p = checkLowering(g);
    expect(p.kernels).toHaveLength(1);
    expect(p.kernels[0]!.kind).toBe('reduce');
    expect(p.kernels[0]!.reduce?.shape).toEqual([5]);
  });

  test('an epilogue after a reduction over a middle axis', () => {
    const b = new GraphBuilder('epilogue');
    const x = b.input('x', f32(2, 3, 4));
    const m = b.op('max', [x], { axes: [1], keepdims: true });
    const y = b.op('sqrt', [b.op('abs', [m])]);
    const g = b.output(y).build();
    group(g, 0, m, y, String(Number(y) - 1));
    const p = checkLowering(g);
    expect(p.kernels).toHaveLength(1);
    expect(p.kernels[0]!.domain).toEqual([2, 1, 4]);
  });

  test('softmax in two kernels: a max kernel, then sum and normalize with a reduction-phase store', () => {
    const b = new GraphBuilder('softmax');
    const x = b.input('x', f32(4, 6));
    const m = b.op('max', [x], { axes: [1], keepdims: true });
    const d = b.op('sub', [x, b.op('broadcast', [m], { shape: [4, 6] })]);
    const e = b.op('exp', [d]);
    const s = b.op('sum', [e], { axes: [1], keepdims: true });
    const out = b.op('div', [e, s]); // implicit broadcasting of the [4,1] sum
    const g = b.output(out).build();
    group(g, 0, m);
    group(g, 1, d, e, s, out);
    const inputs = randomInputs(g, 3, true);
    const p = checkLowering(g, inputs);
    expect(p.kernels).toHaveLength(2);
    const [k0, k1] = p.kernels;
    expect(k0!.stores.map((st) => st.phase ?? 'domain')).toEqual(['domain']);
    expect(k1!.stores.map((st) => st.phase)).toEqual(['reduction']);
    expect(p.buffers.filter((buf) => buf.kind === 'temp')).toHaveLength(1); // only the row max is materialized
  });

  test('softmax over the first axis stores in the transposed order', () => {
    const b = new GraphBuilder('softmax0');
    const x = b.input('x', f32(5, 3));
    const m = b.op('max', [x], { axes: [0], keepdims: false });
    const e = b.op('exp', [b.op('sub', [x, m])]);
    const s = b.op('sum', [e], { axes: [0], keepdims: false });
    const out = b.op('div', [e, s]);
    const g = b.output(out).build();
    group(g, 0, m);
    group(g, 1, String(Number(e) - 1), e, s, out);
    expect(checkLowering(g).kernels).toHaveLength(2);
  });

  test('layerNorm in two kernels', () => {
    const b = new GraphBuilder('layernorm');
    const x = b.input('x', f32(3, 8));
    const gamma = b.input('gamma', f32(8));
    const beta = b.input('beta', f32(8));
    const n = b.op('constant', [], { value: 8, dtype: 'float32' });
    const mean = b.op('div', [b.op('sum', [x], { axes: [1], keepdims: true }), n]);
    const d = b.op('sub', [x, mean]);
    const v = b.op('div', [b.op('sum', [b.op('mul', [d, d])], { axes: [1], keepdims: true }), n]);
    const inv = b.op('rsqrt', [b.op('add', [v, b.op('constant', [], { value: 1e-5, dtype: 'float32' })])]);
    const out = b.op('add', [b.op('mul', [b.op('mul', [d, inv]), gamma]), beta]);
    const g = b.output(out).build();
    const ids = g.nodes.filter((nd) => nd.op !== 'constant').map((nd) => nd.id);
    const meanAt = ids.indexOf(mean);
    group(g, 0, ...ids.slice(0, meanAt + 1));
    group(g, 1, ...ids.slice(meanAt + 1));
    const p = checkLowering(g);
    expect(p.kernels).toHaveLength(2);
    expect(p.kernels[1]!.stores[0]!.phase).toBe('reduction');
  });

  test('relu(x @ w + b) is ONE contraction kernel', () => {
    const b = new GraphBuilder('dense');
    const x = b.input('x', f32(5, 7));
    const w = b.input('w', f32(7, 3));
    const bias = b.input('b', f32(3));
    const mm = b.op('matmul', [x, w]);
    const s = b.op('add', [mm, bias]);
    const r = b.op('relu', [s]);
    const g = b.output(r).build();
    group(g, 0, mm, s, r);
    const p = checkLowering(g);
    expect(p.kernels).toHaveLength(1);
    const k = p.kernels[0]!;
    expect(k.kind).toBe('contraction');
    const c = k.contraction!;
    expect([k.exprs[c.lhs]!.op, k.exprs[c.rhs]!.op, k.exprs[c.acc]!.op]).toEqual(['load', 'load', 'reduce']);
    expect([c.m, c.n]).toEqual([0, 1]);
    expect(k.exprs.some((e) => e.op === 'unary' && e.fn === 'relu')).toBe(true);
  });

  test('a matmul reading a transposed weight keeps the view as a plain load', () => {
    const b = new GraphBuilder('dense_t');
    const x = b.input('x', f32(2, 4, 3));
    const w = b.input('w', f32(5, 3));
    const wt = b.op('transpose', [w], { perm: [1, 0] });
    const mm = b.op('matmul', [x, wt]);
    const g = b.output(mm).build();
    group(g, 0, wt, mm);
    const p = checkLowering(g);
    expect(p.kernels.map((k) => k.kind)).toEqual(['contraction']);
  });

  test('a matmul operand that is not a view of a buffer is materialized by its own kernel', () => {
    const b = new GraphBuilder('dense_pad');
    const x = b.input('x', f32(3, 2));
    const w = b.input('w', f32(4, 2));
    const xp = b.op('pad', [x], {
      pads: [
        [0, 0],
        [1, 1],
      ],
      value: 1,
    });
    const eye = b.op('iota', [], { shape: [4, 2], axis: 0, dtype: 'float32' });
    const mm = b.op('matmul', [xp, b.op('add', [w, eye])]);
    const g = b.output(mm).build();
    const p = checkLowering(g);
    expect(p.kernels.map((k) => k.kind)).toEqual(['elementwise', 'elementwise', 'contraction']);
  });

  test('views of views (reshape, transpose, negative-step slice, pad, concat) read inputs with no copies', () => {
    const b = new GraphBuilder('views');
    const x = b.input('x', f32(2, 3, 4));
    const r = b.op('reshape', [x], { shape: [6, 4] });
    const t = b.op('transpose', [r], { perm: [1, 0] });
    const s = b.op('slice', [t], { starts: [-1, 1], stops: [null, 6], steps: [-1, 2] });
    const pd = b.op('pad', [s], {
      pads: [
        [1, 0],
        [0, 2],
      ],
      value: -1,
    });
    const c = b.op('concat', [pd, pd], { axis: 1 });
    const y = b.op('exp', [c]);
    const g = b.output(y).build();
    const p = checkLowering(g);
    expect(p.kernels).toHaveLength(1);
    expect(p.buffers.filter((buf) => buf.kind === 'temp')).toHaveLength(0);
  });

  test('a contiguous reshape of a reshape reads the plain flat index', () => {
    const b = new GraphBuilder('reshape2');
    const x = b.input('x', f32(2, 3, 4));
    const r = b.op('reshape', [b.op('reshape', [x], { shape: [4, 6] })], { shape: [3, 8] });
    const g = b.output(b.op('neg', [r])).build();
    const p = checkLowering(g);
    const k = p.kernels[0]!;
    const load = k.exprs.find((e) => e.op === 'load')!;
    expect(load.op === 'load' && isContiguousIndex(load.index, k)).toBe(true);
    expect(JSON.stringify(load)).not.toMatch(/"div"|"mod"/);
  });

  test('multi-output groups: one kernel stores several values', () => {
    const b = new GraphBuilder('multi');
    const x = b.input('x', f32(3, 4));
    const e = b.op('exp', [x]);
    const y1 = b.op('mul', [e, x]);
    const y2 = b.op('relu', [e]);
    const g = b.output(y1, y2, e).build();
    group(g, 0, e, y1, y2);
    const p = checkLowering(g);
    expect(p.kernels).toHaveLength(1);
    expect(p.kernels[0]!.stores).toHaveLength(3);
  });

  test('a reduction group with two reductions of one shape and a stored prologue value', () => {
    const b = new GraphBuilder('stats');
    const x = b.input('x', f32(4, 5));
    const a = b.op('abs', [x]);
    const s = b.op('sum', [a], { axes: [1], keepdims: false });
    const m = b.op('argmax', [a], { axis: 1, keepdims: true });
    const g = b.output(s, m, a).build();
    group(g, 0, a, s, m);
    const p = checkLowering(g);
    expect(p.kernels).toHaveLength(1);
    expect(p.kernels[0]!.exprs.filter((e) => e.op === 'reduce')).toHaveLength(2);
    expect(p.kernels[0]!.stores.map((st) => st.phase ?? 'domain')).toEqual(['reduction', 'domain', 'domain']);
  });

  test('outputs that are inputs, constants or repeated are copied into their own output buffers', () => {
    const b = new GraphBuilder('copies');
    const x = b.input('x', f32(2, 2));
    const c = b.constant([1, 2, 3], [3], 'int32');
    const y = b.op('neg', [x]);
    const g = b.output(x, c, y, y).build();
    const p = checkLowering(g);
    expect(new Set(p.outputs).size).toBe(4);
    expect(p.buffers.find((buf) => buf.kind === 'const')?.constant).toBe(0);
    expect(p.kernels).toHaveLength(4);
  });

  test('dead nodes get no kernel', () => {
    const b = new GraphBuilder('dead');
    const x = b.input('x', f32(3));
    b.op('exp', [x]);
    const y = b.op('neg', [x]);
    expect(checkLowering(b.output(y).build()).kernels).toHaveLength(1);
  });
});
