import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AttrError,
  DTypeError,
  deserializeGraph,
  deserializeProgram,
  erfFormula,
  GraphBuilder,
  type HostTensor,
  type IndexExpr,
  IR_VERSION,
  type KernelProgram,
  parseGraph,
  printGraph,
  resolveIndex,
  ShapeError,
  serializeGraph,
  serializeProgram,
  VerifyError,
  verifyProgram,
} from '../src/index.js';
import { host, runOp } from './helpers.js';

const run = runOp;
const F = (shape: number[], v: number[]) => host('float32', shape, v);
const I = (shape: number[], v: number[]) => host('int32', shape, v);
const values = (t: HostTensor) => Array.from(t.data);

describe('gather', () => {
  it('selects rows, wraps negative indices and clamps out-of-range ones (hand-computed)', () => {
    const table = F([4, 2], [0, 1, 10, 11, 20, 21, 30, 31]);
    const r = run('gather', [table, I([2, 3], [1, -1, 0, 9, -9, 2])], { axis: 0 });
    expect(r.shape).toEqual([2, 3, 2]);
    expect(values(r)).toEqual([10, 11, 30, 31, 0, 1, 30, 31, 0, 1, 20, 21]);
  });
  it('gathers along an inner axis with a scalar index', () => {
    const r = run('gather', [F([2, 3], [1, 2, 3, 4, 5, 6]), I([], [-1])], { axis: 1 });
    expect(r.shape).toEqual([2]);
    expect(values(r)).toEqual([3, 6]);
  });
  it('rejects non-int32 indices, a bad axis and attrs with typed errors', () => {
    const b = new GraphBuilder('t');
    const x = b.input('x', { dtype: 'float32', shape: [3] });
    const f = b.input('f', { dtype: 'float32', shape: [2] });
    const i = b.input('i', { dtype: 'int32', shape: [2] });
    expect(() => b.op('gather', [x, f], { axis: 0 })).toThrow(DTypeError);
    expect(() => b.op('gather', [x, i], { axis: 1 })).toThrow(ShapeError);
    expect(() => b.op('gather', [x, i], { axis: 0.5 })).toThrow(AttrError);
    expect(() => b.op('gather', [x, i], {})).toThrow(AttrError);
    const empty = b.input('e', { dtype: 'float32', shape: [0, 2] });
    expect(() => b.op('gather', [empty, i], { axis: 0 })).toThrow(/nothing to gather/);
  });
  it('matches a naive gather over random shapes, axes and indices (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }),
        fc.nat(),
        fc.integer({ min: -1000, max: 1000 }),
        (shape, ishape, axisSeed, seed) => {
          const axis = axisSeed % shape.length;
          const n = shape.reduce((a, d) => a * d, 1);
          const data = F(
            shape,
            Array.from({ length: n }, (_, k) => k * 3 + seed),
          );
          const count = ishape.reduce((a, d) => a * d, 1);
          const idx = I(
            ishape,
            Array.from({ length: count }, (_, k) => ((k * 7 + seed) % 13) - 6),
          );
          const r = run('gather', [data, idx], { axis });
          const outer = shape.slice(0, axis).reduce((a, d) => a * d, 1);
          const inner = shape.slice(axis + 1).reduce((a, d) => a * d, 1);
          const expected: number[] = [];
          for (let o = 0; o < outer; o++)
            for (let j = 0; j < count; j++)
              for (let i = 0; i < inner; i++) {
                const k = resolveIndex(idx.data[j]!, shape[axis]!);
                expected.push(data.data[(o * shape[axis]! + k) * inner + i]!);
              }
          expect(r.shape).toEqual([...shape.slice(0, axis), ...ishape, ...shape.slice(axis + 1)]);
          expect(values(r)).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('scatterAdd', () => {
  it('adds updates at (repeated, negative, clamped) indices into data (hand-computed)', () => {
    const r = run('scatterAdd', [F([3], [1, 2, 3]), I([4], [0, 0, -1, 5]), F([4], [10, 20, 30, 40])], {
      axis: 0,
    });
    expect(values(r)).toEqual([31, 2, 73]);
  });
  it('scatters rows along axis 1', () => {
    const r = run('scatterAdd', [F([2, 2], [0, 0, 0, 0]), I([1], [1]), F([2, 1], [5, 6])], { axis: 1 });
    expect(values(r)).toEqual([0, 5, 0, 6]);
  });
  it('requires updates of gather shape and a shared dtype', () => {
    const b = new GraphBuilder('t');
    const x = b.input('x', { dtype: 'float32', shape: [3, 2] });
    const i = b.input('i', { dtype: 'int32', shape: [4] });
    const u = b.input('u', { dtype: 'float32', shape: [4, 3] });
    const ui = b.input('ui', { dtype: 'int32', shape: [4, 2] });
    expect(() => b.op('scatterAdd', [x, i, u], { axis: 0 })).toThrow(/updates must have shape \[4,2\]/);
    expect(() => b.op('scatterAdd', [x, i, ui], { axis: 0 })).toThrow(DTypeError);
  });
});

describe('argmin', () => {
  it('first minimum wins; NaN counts as the minimum', () => {
    expect(values(run('argmin', [F([5], [3, 1, 2, 1, 0.5])], { axis: 0, keepdims: false }))).toEqual([4]);
    expect(values(run('argmin', [F([4], [3, 1, 1, 5])], { axis: 0, keepdims: false }))).toEqual([1]);
    expect(values(run('argmin', [F([4], [3, NaN, -1, NaN])], { axis: 0, keepdims: false }))).toEqual([1]);
    expect(values(run('argmin', [I([2, 2], [4, -7, 2, 9])], { axis: -1, keepdims: true }))).toEqual([1, 0]);
  });
});

describe('erf', () => {
  // Reference values: Python's math.erf (double precision).
  const exact: [number, number][] = [
    [-3, -0.9999779095030014],
    [-1, -0.8427007929497149],
    [-0.5, -0.5204998778130465],
    [0, 0],
    [0.25, 0.2763263901682369],
    [0.5, 0.5204998778130465],
    [1, 0.8427007929497149],
    [2, 0.9953222650189527],
    [3.5, 0.9999992569016276],
    [5, 0.9999999999984626],
  ];
  it('is within 2e-7 of the exact erf in float32 (the registry formula, as the interpreter runs it)', () => {
    const r = run('erf', [
      F(
        [exact.length],
        exact.map(([x]) => x),
      ),
    ]);
    values(r).forEach((v, k) => {
      expect(Math.abs(v - exact[k]![1])).toBeLessThanOrEqual(2e-7);
    });
  });
  it('keeps NaN, maps +-Infinity to +-1 and is odd', () => {
    expect(values(run('erf', [F([3], [NaN, Infinity, -Infinity])]))).toEqual([NaN, 1, -1]);
    const xs = [0.1, 0.7, 1.3, 2.9];
    const pos = values(run('erf', [F([4], xs)]));
    const neg = values(
      run('erf', [
        F(
          [4],
          xs.map((x) => -x),
        ),
      ]),
    );
    expect(neg).toEqual(pos.map((v) => -v));
  });
  it('the formula over doubles is a good erf on [0, 6] (it is odd; max error < 5e-7)', () => {
    const s = {
      constant: (c: number) => c,
      add: (a: number, b: number) => a + b,
      mul: (a: number, b: number) => a * b,
      div: (a: number, b: number) => a / b,
      min: Math.min,
      max: Math.max,
    };
    // erf'(x) = 2/sqrt(pi) exp(-x^2): integrate it (Simpson) as an independent reference.
    const d = (x: number) => (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x);
    let area = 0;
    const h = 1e-3;
    for (let x = 0; x < 6 - 1e-9; x += h) {
      area += (h / 6) * (d(x) + 4 * d(x + h / 2) + d(x + h));
      expect(Math.abs(erfFormula(x + h, s) - area)).toBeLessThan(5e-7);
    }
  });
  it('rejects int32 operands', () => {
    const b = new GraphBuilder('t');
    expect(() => b.op('erf', [b.input('x', { dtype: 'int32', shape: [2] })])).toThrow(DTypeError);
  });
});

describe('op set v2 in the text form and JSON', () => {
  it('round-trips a graph of every new op', () => {
    const b = new GraphBuilder('v2');
    const x = b.input('x', { dtype: 'float32', shape: [4, 3] });
    const i = b.input('i', { dtype: 'int32', shape: [2] });
    const g = b.op('gather', [x, i], { axis: -2 });
    const s = b.op('scatterAdd', [x, i, g], { axis: 0 });
    const graph = b.output(s, b.op('argmin', [b.op('erf', [s])], { axis: 1, keepdims: false })).build();
    expect(printGraph(parseGraph(printGraph(graph)))).toBe(printGraph(graph));
    expect(printGraph(deserializeGraph(serializeGraph(graph)))).toBe(printGraph(graph));
    // Canonical attrs: gather's negative axis is stored normalized.
    expect(graph.nodes.find((n) => n.op === 'gather')!.attrs).toEqual({ axis: 0 });
  });
});

/** out[i] = table[clamp(idx[i]) * 3 + j] over a [4, 3] table. */
function gatherProgram(extent: number, stride: number): KernelProgram {
  return {
    irVersion: IR_VERSION,
    name: 'p',
    buffers: [
      { id: 0, dtype: 'float32', size: 12, kind: 'input' },
      { id: 1, dtype: 'int32', size: 5, kind: 'input' },
      { id: 2, dtype: 'float32', size: 15, kind: 'output' },
    ],
    kernels: [
      {
        name: 'k0',
        kind: 'elementwise',
        domain: [5, 3],
        exprs: [
          { op: 'load', dtype: 'int32', buffer: 1, index: { k: 'axis', axis: 0 } },
          {
            op: 'load',
            dtype: 'float32',
            buffer: 0,
            index: { k: 'axis', axis: 1 },
            dynamic: { value: 0, extent, stride },
          },
        ],
        stores: [
          {
            buffer: 2,
            index: { k: 'add', a: { k: 'mul', a: { k: 'axis', axis: 0 }, c: 3 }, b: { k: 'axis', axis: 1 } },
            value: 1,
          },
        ],
      },
    ],
    inputs: [0, 1],
    outputs: [2],
    inputShapes: [[4, 3], [5]],
    outputShapes: [[5, 3]],
    slots: [],
    constants: [],
  };
}

describe("a load's dynamic index term", () => {
  it('verifies when the clamped extent keeps the access in the buffer', () => {
    expect(() => verifyProgram(gatherProgram(4, 3))).not.toThrow();
  });
  it('is rejected when extent x stride reaches past the buffer, naming the range', () => {
    expect(() => verifyProgram(gatherProgram(5, 3))).toThrow(VerifyError);
    expect(() => verifyProgram(gatherProgram(5, 3))).toThrow(/\[0, 14\], outside b0 of size 12/);
  });
  it('needs an int32 value, a positive extent and a non-negative stride', () => {
    const p = gatherProgram(4, 3);
    expect(() =>
      verifyProgram({
        ...p,
        kernels: [
          { ...p.kernels[0]!, exprs: [{ op: 'const', dtype: 'float32', value: 1 }, p.kernels[0]!.exprs[1]!] },
        ],
      }),
    ).toThrow(/must be int32/);
    expect(() => verifyProgram(gatherProgram(0, 3))).toThrow(VerifyError);
    expect(() => verifyProgram(gatherProgram(4, -3))).toThrow(VerifyError);
  });
  it('is rejected on a contraction operand (tiling renderers address operands by their affine index)', () => {
    const ax = (axis: number) => ({ k: 'axis' as const, axis });
    const r = { k: 'raxis' as const, axis: 0 };
    const lin = (a: IndexExpr, c: number, b: IndexExpr): IndexExpr => ({
      k: 'add',
      a: { k: 'mul', a, c },
      b,
    });
    const matmul = (dynamic: boolean): KernelProgram => ({
      irVersion: IR_VERSION,
      name: 'mm',
      buffers: [
        { id: 0, dtype: 'float32', size: 6, kind: 'input' },
        { id: 1, dtype: 'float32', size: 6, kind: 'input' },
        { id: 2, dtype: 'float32', size: 4, kind: 'output' },
      ],
      kernels: [
        {
          name: 'k0',
          kind: 'contraction',
          domain: [2, 2],
          reduce: { shape: [3] },
          exprs: [
            { op: 'const', dtype: 'int32', value: 0 },
            {
              op: 'load',
              dtype: 'float32',
              buffer: 0,
              index: lin(ax(0), 3, r),
              ...(dynamic ? { dynamic: { value: 0, extent: 1, stride: 0 } } : {}),
            },
            { op: 'load', dtype: 'float32', buffer: 1, index: lin(r, 2, ax(1)) },
            { op: 'binary', fn: 'mul', dtype: 'float32', a: 1, b: 2 },
            { op: 'reduce', fn: 'sum', dtype: 'float32', a: 3 },
          ],
          stores: [{ buffer: 2, index: lin(ax(0), 2, ax(1)), value: 4 }],
          contraction: { lhs: 1, rhs: 2, acc: 4, m: 0, n: 1 },
        },
      ],
      inputs: [0, 1],
      outputs: [2],
      inputShapes: [
        [2, 3],
        [3, 2],
      ],
      outputShapes: [[2, 2]],
      slots: [],
      constants: [],
    });
    expect(() => verifyProgram(matmul(false))).not.toThrow();
    expect(() => verifyProgram(matmul(true))).toThrow(VerifyError);
    expect(() => verifyProgram(matmul(true))).toThrow(/contraction operands must be loads without a dynamic/);
  });
  it('round-trips through the serializer (IR 1.1)', () => {
    const p = gatherProgram(4, 3);
    const back = deserializeProgram(serializeProgram(p));
    expect(back.kernels[0]!.exprs[1]).toEqual(p.kernels[0]!.exprs[1]);
    expect(IR_VERSION).toBe('1.1');
  });
});
