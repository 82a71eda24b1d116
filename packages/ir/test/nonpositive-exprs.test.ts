import { describe, expect, it } from 'vitest';
import {
  type IndexExpr,
  IR_VERSION,
  type Kernel,
  type KernelProgram,
  nonPositiveExprs,
  type ScalarExpr,
} from '../src/index.js';

const ROWS = 3;
const COLS = 5;
const ax = (axis: number): IndexExpr => ({ k: 'axis', axis });
const rx: IndexExpr = { k: 'raxis', axis: 0 };
const rowMajor: IndexExpr = { k: 'add', a: { k: 'mul', a: ax(0), c: COLS }, b: rx };
const load = (buffer: number, index: IndexExpr): ScalarExpr => ({
  op: 'load',
  dtype: 'float32',
  buffer,
  index,
});

/** k0: m[i] = max_r x[i, r]; k1: out[i, r] = exp(x[i, r] - m[i]) / sum (softmax as jit lowers it). */
function softmax(): KernelProgram {
  const k0: Kernel = {
    name: 'k0',
    kind: 'reduce',
    domain: [ROWS, 1],
    reduce: { shape: [COLS] },
    exprs: [load(0, rowMajor), { op: 'reduce', fn: 'max', dtype: 'float32', a: 0 }],
    stores: [{ buffer: 1, index: ax(0), value: 1 }],
  };
  const k1: Kernel = {
    name: 'k1',
    kind: 'reduce',
    domain: [ROWS, 1],
    reduce: { shape: [COLS] },
    exprs: [
      load(0, rowMajor),
      load(1, ax(0)),
      { op: 'binary', fn: 'sub', dtype: 'float32', a: 0, b: 1 },
      { op: 'unary', fn: 'exp', dtype: 'float32', a: 2 },
      { op: 'reduce', fn: 'sum', dtype: 'float32', a: 3 },
      { op: 'binary', fn: 'div', dtype: 'float32', a: 3, b: 4 },
    ],
    stores: [{ buffer: 2, index: rowMajor, value: 5, phase: 'reduction' }],
  };
  return {
    irVersion: IR_VERSION,
    name: 'softmax',
    buffers: [
      { id: 0, dtype: 'float32', size: ROWS * COLS, kind: 'input' },
      { id: 1, dtype: 'float32', size: ROWS, kind: 'temp', slot: 0 },
      { id: 2, dtype: 'float32', size: ROWS * COLS, kind: 'output' },
    ],
    kernels: [k0, k1],
    inputs: [0],
    outputs: [2],
    outputShapes: [[ROWS, COLS]],
    inputShapes: [[ROWS, COLS]],
    slots: [{ id: 0, bytes: 4 * ROWS }],
    constants: [],
  };
}

/** The softmax program changed by `edit`; returns what nonPositiveExprs finds in its exp kernel. */
function found(edit: (p: KernelProgram) => void = () => {}): number[] {
  const p = structuredClone(softmax());
  edit(p);
  const k = p.kernels.findIndex((kernel) => kernel.exprs.some((e) => e.op === 'unary' && e.fn === 'exp'));
  return [...nonPositiveExprs(p, k)];
}

/** A kernel like k0 that stores into `buffer` instead. */
const writer = (p: KernelProgram, buffer: number): Kernel => ({
  ...structuredClone(p.kernels[0]!),
  stores: [{ buffer, index: ax(0), value: 1 }],
});

describe('nonPositiveExprs', () => {
  it("finds softmax's x - max(x), also of a computed x", () => {
    expect(found()).toEqual([2]);
    // Both kernels compute x * 0.5 (expr for expr) before the max and the subtraction.
    expect(
      found((p) => {
        for (const k of p.kernels) {
          const [x, ...rest] = k.exprs;
          const scaled: ScalarExpr[] = [
            x!,
            { op: 'const', dtype: 'float32', value: 0.5 },
            { op: 'binary', fn: 'mul', dtype: 'float32', a: 0, b: 1 },
          ];
          const shift = (i: number) => (i === 0 ? 2 : i + 2);
          k.exprs = [
            ...scaled,
            ...rest.map((e) => {
              const c = structuredClone(e) as ScalarExpr & { a?: number; b?: number };
              if (c.a !== undefined && c.op !== 'load') c.a = shift(c.a);
              if (c.b !== undefined) c.b = shift(c.b);
              return c as ScalarExpr;
            }),
          ];
          for (const s of k.stores) s.value = shift(s.value);
        }
      }),
    ).toEqual([4]);
  });

  it('refuses a min, another buffer, another index or another value', () => {
    const k0 = (p: KernelProgram) => p.kernels[0]!;
    expect(found((p) => Object.assign(k0(p).exprs[1]!, { fn: 'min' }))).toEqual([]);
    expect(
      found((p) =>
        Object.assign(k0(p).exprs[0]!, { index: { k: 'add', a: rowMajor, b: { k: 'const', v: 0 } } }),
      ),
    ).toEqual([]);
    expect(
      found((p) => {
        p.buffers.push({ id: 3, dtype: 'float32', size: ROWS * COLS, kind: 'input' });
        p.inputs.push(3);
        Object.assign(k0(p).exprs[0]!, { buffer: 3 });
      }),
    ).toEqual([]);
    // max(x) subtracted from x's neighbour.
    expect(
      found((p) =>
        Object.assign(p.kernels[1]!.exprs[0]!, { index: { k: 'add', a: rowMajor, b: { k: 'const', v: 1 } } }),
      ),
    ).toEqual([]);
    // m - x: the max on the left.
    expect(found((p) => Object.assign(p.kernels[1]!.exprs[2]!, { a: 1, b: 0 }))).toEqual([]);
  });

  it('refuses a max stored many to one, over other shapes or an empty reduction', () => {
    expect(
      found((p) => {
        p.kernels[0]!.stores[0]!.index = { k: 'const', v: 0 };
        Object.assign(p.kernels[1]!.exprs[1]!, { index: { k: 'const', v: 0 } });
      }),
    ).toEqual([]);
    expect(
      found((p) => {
        p.kernels[0]!.reduce = { shape: [COLS - 1] };
      }),
    ).toEqual([]);
    expect(
      found((p) => {
        for (const k of p.kernels) k.reduce = { shape: [0] };
      }),
    ).toEqual([]);
  });

  it('refuses when the input, the max or its slot is written in between', () => {
    expect(found((p) => p.kernels.splice(1, 0, writer(p, 0)))).toEqual([]);
    expect(found((p) => p.kernels.splice(1, 0, writer(p, 1)))).toEqual([2]); // a new max of the same x
    expect(
      found((p) => {
        p.buffers.push({ id: 3, dtype: 'float32', size: ROWS, kind: 'temp', slot: 0 });
        p.kernels.splice(1, 0, writer(p, 3));
      }),
    ).toEqual([]);
    // An output written in between may hold the input's memory (donation).
    expect(
      found((p) => {
        p.buffers.push({ id: 3, dtype: 'float32', size: ROWS, kind: 'output' });
        p.outputs.push(3);
        p.kernels.splice(1, 0, writer(p, 3));
      }),
    ).toEqual([]);
    // The exp kernel itself storing into x.
    expect(
      found((p) => {
        p.kernels[1]!.stores[0]!.buffer = 0;
      }),
    ).toEqual([]);
  });
});
