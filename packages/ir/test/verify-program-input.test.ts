import { describe, expect, it } from 'vitest';
import {
  accessRange,
  type IndexExpr,
  IR_VERSION,
  type KernelProgram,
  MAX_INDEX_DEPTH,
  outputsNotProvablyCovered,
  VerifyError,
  verifyProgram,
} from '../src/index.js';

const ax = (axis: number): IndexExpr => ({ k: 'axis', axis });
const c = (v: number): IndexExpr => ({ k: 'const', v });
const add = (a: IndexExpr, b: IndexExpr): IndexExpr => ({ k: 'add', a, b });
const mul = (a: IndexExpr, k: number): IndexExpr => ({ k: 'mul', a, c: k });
const mod = (a: IndexExpr, k: number): IndexExpr => ({ k: 'mod', a, c: k });
const div = (a: IndexExpr, k: number): IndexExpr => ({ k: 'div', a, c: k });

/** out[i] = in[i] * 2 over 4096 elements. */
function program(): KernelProgram {
  return {
    irVersion: IR_VERSION,
    name: 'p',
    buffers: [
      { id: 0, dtype: 'float32', size: 4096, kind: 'input' },
      { id: 1, dtype: 'float32', size: 4096, kind: 'output' },
    ],
    kernels: [
      {
        name: 'k0',
        kind: 'elementwise',
        domain: [4096],
        exprs: [
          { op: 'load', dtype: 'float32', buffer: 0, index: ax(0) },
          { op: 'const', dtype: 'float32', value: 2 },
          { op: 'binary', fn: 'mul', dtype: 'float32', a: 0, b: 1 },
        ],
        stores: [{ buffer: 1, index: ax(0), value: 2 }],
      },
    ],
    inputs: [0],
    outputs: [1],
    inputShapes: [[4096]],
    outputShapes: [[4096]],
    slots: [],
    constants: [],
  };
}

function rejection(mutate: (p: any) => void): VerifyError {
  const p = program();
  mutate(p);
  try {
    verifyProgram(p);
  } catch (e) {
    expect(e).toBeInstanceOf(VerifyError);
    return e as VerifyError;
  }
  throw new Error('verifyProgram accepted the program');
}

describe('verifyProgram: out-of-range indices (#24 item 2)', () => {
  it('rejects a store at (i mod 1000) + 2^20, naming kernel, store and range', () => {
    const e = rejection((p) => {
      p.kernels[0].stores[0].index = add(mod(ax(0), 1000), c(2 ** 20));
    });
    expect(e.message).toContain('kernel k0 store 0');
    expect(e.message).toContain('store index ranges over [1048576, 1049575], outside b1 of size 4096');
  });

  it('rejects a guarded load at i + 2^20 whose guard does not keep it in range', () => {
    const e = rejection((p) => {
      p.kernels[0].exprs[0] = {
        op: 'load',
        dtype: 'float32',
        buffer: 0,
        index: add(ax(0), c(2 ** 20)),
        guard: [{ expr: ax(0), lo: 0, hi: 4096 }],
        other: 0,
      };
    });
    expect(e.message).toContain('kernel k0 e0');
    expect(e.message).toContain('load index ranges over [1048576, 1052671]');
  });

  it('rejects div/mod indices that leave the buffer, and negative ones', () => {
    expect(
      rejection((p) => {
        p.kernels[0].exprs[0].index = add(div(ax(0), 2), c(2049));
      }).message,
    ).toContain('[2049, 4096]');
    expect(
      rejection((p) => {
        p.kernels[0].exprs[0].index = add(mod(ax(0), 7), c(-1));
      }).message,
    ).toContain('[-1, 5]');
    expect(
      rejection((p) => {
        p.kernels[0].stores[0].index = mul(ax(0), 2);
      }).message,
    ).toContain('[0, 8190]');
  });

  it('accepts indices a guard keeps in range (pad) and div/mod reshapes', () => {
    const ok = (mutate: (p: any) => void) => {
      const p = program();
      mutate(p);
      expect(() => verifyProgram(p)).not.toThrow();
    };
    // pad by 16 on both sides: reads in[i - 16] where 16 <= i < 4096 + 16... within a domain of 4096.
    ok((p) => {
      p.kernels[0].exprs[0] = {
        op: 'load',
        dtype: 'float32',
        buffer: 0,
        index: add(ax(0), c(-16)),
        guard: [{ expr: add(ax(0), c(-16)), lo: 0, hi: 4096 }],
        other: 0,
      };
    });
    // the same guard spelled on the axis alone narrows the axis
    ok((p) => {
      p.kernels[0].exprs[0] = {
        op: 'load',
        dtype: 'float32',
        buffer: 0,
        index: add(ax(0), c(-16)),
        guard: [{ expr: ax(0), lo: 16, hi: 4112 }],
        other: 0,
      };
    });
    // transpose of a [64, 64] view as div/mod of the flat index
    ok((p) => {
      p.kernels[0].exprs[0].index = add(mul(mod(ax(0), 64), 64), div(ax(0), 64));
    });
    // a store into a buffer through a mod that stays inside
    ok((p) => {
      p.kernels[0].stores[0].index = add(mod(add(ax(0), c(5)), 4096), c(0));
    });
  });

  it('accessRange is exact for affine indices and narrows by guards', () => {
    const ranges = { domain: [10, 4], reduce: [] };
    expect(accessRange(add(mul(ax(0), 4), ax(1)), ranges)).toEqual([0, 39]);
    expect(accessRange(add(ax(0), mul(ax(1), -1)), ranges)).toEqual([-3, 9]);
    expect(accessRange(ax(0), ranges, [{ expr: ax(0), lo: 20, hi: 30 }])).toBeUndefined();
    expect(accessRange(add(ax(0), c(-2)), ranges, [{ expr: add(ax(0), c(-2)), lo: 0, hi: 5 }])).toEqual([
      0, 4,
    ]);
  });

  it('skips accesses no iteration makes (empty domain)', () => {
    const p = program();
    p.kernels[0]!.domain = [0];
    p.kernels[0]!.stores[0]!.index = add(ax(0), c(1e9));
    expect(() => verifyProgram(p)).not.toThrow();
  });
});

describe('verifyProgram: total over arbitrary input (#18 item 8)', () => {
  const hostile: unknown[] = [
    null,
    undefined,
    NaN,
    Infinity,
    -1,
    2.5,
    1e300,
    'x',
    true,
    {},
    [],
    [[]],
    () => 1,
  ];

  it('gives a VerifyError naming the field for every hostile value of every field', () => {
    const paths: string[][] = [];
    const collect = (v: unknown, path: string[]) => {
      paths.push(path);
      if (typeof v === 'object' && v !== null && !ArrayBuffer.isView(v))
        for (const [key, child] of Object.entries(v)) collect(child, [...path, key]);
    };
    collect(program(), []);
    let checked = 0;
    for (const path of paths) {
      if (path.length === 0 || path[path.length - 1] === 'irVersion') continue;
      for (const value of hostile) {
        const p: any = program();
        let parent = p;
        for (const key of path.slice(0, -1)) parent = parent[key];
        parent[path[path.length - 1]!] = value;
        try {
          verifyProgram(p);
        } catch (e) {
          expect(e, `${path.join('.')} = ${String(value)}`).toBeInstanceOf(VerifyError);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
    for (const v of hostile) expect(() => verifyProgram(v)).toThrow(VerifyError);
  });

  it('names the field: NaN size, unknown op, bad distribution, numeric fn', () => {
    expect(
      rejection((p) => {
        p.buffers[0].size = NaN;
      }).message,
    ).toContain('program.buffers[0].size');
    expect(
      rejection((p) => {
        p.kernels[0].exprs[2].op = 'teleport';
      }).message,
    ).toContain('kernel k0 e2.op');
    expect(
      rejection((p) => {
        p.kernels[0].exprs[1] = { op: 'random', dtype: 'float32', seed: 1, index: ax(0), distribution: 3 };
      }).message,
    ).toContain('kernel k0 e1.distribution');
    expect(
      rejection((p) => {
        p.kernels[0].exprs[2].fn = 7;
      }).message,
    ).toContain('kernel k0 e2.fn');
    expect(
      rejection((p) => {
        p.kernels[0].domain = [Infinity];
      }).message,
    ).toContain('domain[0]');
    expect(
      rejection((p) => {
        p.kernels[0].stores[0].index = { k: 'div', a: ax(0), c: 0 };
      }).message,
    ).toContain('positive');
  });

  it('rejects cyclic, too deep and exponentially shared index expressions without overflowing', () => {
    const cyclic: any = { k: 'add', a: ax(0), b: c(0) };
    cyclic.b = cyclic;
    expect(
      rejection((p) => {
        p.kernels[0].stores[0].index = cyclic;
      }).message,
    ).toContain('cycle');
    let deep: IndexExpr = ax(0);
    for (let i = 0; i < 100_000; i++) deep = add(deep, c(0));
    expect(
      rejection((p) => {
        p.kernels[0].stores[0].index = deep;
      }).message,
    ).toContain(`deeper than ${MAX_INDEX_DEPTH}`);
    let shared: IndexExpr = ax(0);
    for (let i = 0; i < 60; i++) shared = add(shared, shared);
    expect(
      rejection((p) => {
        p.kernels[0].stores[0].index = shared;
      }).message,
    ).toContain('more than');
  });

  it('rejects operands that form a cycle or point forward', () => {
    expect(
      rejection((p) => {
        p.kernels[0].exprs[2].a = 2;
      }).message,
    ).toContain('operand e2 is not an earlier expr');
  });
});

describe('outputsNotProvablyCovered (#24 item 3)', () => {
  it('finds outputs written only in part, and accepts full writes in any stride order', () => {
    const p = program();
    expect(outputsNotProvablyCovered(p)).toEqual([]);
    p.kernels[0]!.domain = [2048];
    expect(outputsNotProvablyCovered(p)).toEqual([1]);
    // two halves written by two stores cover it again
    p.kernels[0]!.stores.push({ buffer: 1, index: add(ax(0), c(2048)), value: 2 });
    expect(outputsNotProvablyCovered(p)).toEqual([]);
    // a transposed store over [64, 64] writes every element once
    const t = program();
    t.kernels[0]!.domain = [64, 64];
    (t.kernels[0]!.exprs[0] as { index: IndexExpr }).index = add(mul(ax(0), 64), ax(1));
    t.kernels[0]!.stores[0]!.index = add(mul(ax(1), 64), ax(0));
    expect(outputsNotProvablyCovered(t)).toEqual([]);
    // a strided store (every other element) does not
    t.kernels[0]!.stores[0]!.index = add(mul(ax(1), 64), div(ax(0), 2));
    expect(outputsNotProvablyCovered(t)).toEqual([1]);
  });
});
