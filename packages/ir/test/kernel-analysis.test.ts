import { describe, expect, it } from 'vitest';
import {
  affineLoad,
  contractionView,
  deserializeProgram,
  evalIndex,
  exprPhases,
  type IndexExpr,
  IR_VERSION,
  indexCoefficients,
  type Kernel,
  type KernelProgram,
  printProgram,
  SerializationError,
  serializeProgram,
  VerifyError,
  VersionError,
  verifyProgram,
} from '../src/index.js';

const ax = (axis: number): IndexExpr => ({ k: 'axis', axis });
const rax = (axis: number): IndexExpr => ({ k: 'raxis', axis });
const add = (a: IndexExpr, b: IndexExpr): IndexExpr => ({ k: 'add', a, b });
const mul = (a: IndexExpr, c: number): IndexExpr => ({ k: 'mul', a, c });

/** softmax numerator over rows of a [2,3] input: max in the reduction, exp(x - max) stored per element. */
function program(): KernelProgram {
  return {
    irVersion: IR_VERSION,
    name: 'p',
    buffers: [
      { id: 0, dtype: 'float32', size: 6, kind: 'input' },
      { id: 1, dtype: 'float32', size: 2, kind: 'output' },
      { id: 2, dtype: 'float32', size: 6, kind: 'output' },
      { id: 3, dtype: 'float32', size: 1, kind: 'const', constant: 0 },
    ],
    kernels: [
      {
        name: 'k0',
        kind: 'reduce',
        domain: [2],
        reduce: { shape: [3] },
        exprs: [
          { op: 'load', dtype: 'float32', buffer: 0, index: add(mul(ax(0), 3), rax(0)) },
          { op: 'reduce', fn: 'max', dtype: 'float32', a: 0 },
          { op: 'binary', fn: 'sub', dtype: 'float32', a: 0, b: 1 },
          { op: 'unary', fn: 'exp', dtype: 'float32', a: 2 },
          { op: 'const', dtype: 'float32', value: NaN },
          { op: 'binary', fn: 'add', dtype: 'float32', a: 1, b: 4 },
          { op: 'load', dtype: 'float32', buffer: 3, index: { k: 'const', v: 0 } },
        ],
        stores: [
          { buffer: 1, index: ax(0), value: 5 },
          { buffer: 2, index: add(mul(ax(0), 3), rax(0)), value: 3, phase: 'reduction' },
        ],
        sourceNodes: ['0', '1'],
      },
    ],
    inputs: [0],
    outputs: [1, 2],
    inputShapes: [[2, 3]],
    outputShapes: [[2], [2, 3]],
    slots: [],
    constants: [new Float32Array([-0])],
  };
}

describe('index expressions', () => {
  it('evalIndex uses floor division and floor modulo', () => {
    const e: IndexExpr = { k: 'div', a: add(ax(0), { k: 'const', v: -7 }), c: 2 };
    expect(evalIndex(e, [0])).toBe(-4);
    expect(evalIndex({ k: 'mod', a: add(ax(0), { k: 'const', v: -7 }), c: 3 }, [0])).toBe(2);
    expect(evalIndex(add(mul(ax(1), 4), rax(0)), [9, 2], [3])).toBe(11);
  });

  it('affineLoad gives an unguarded affine load its buffer and strides, and nothing else', () => {
    const k = program().kernels[0]!;
    expect(affineLoad(k, 0)).toEqual({ buffer: 0, form: { c: 0, ax: [3], rx: [1] } });
    expect(affineLoad(k, 6)).toEqual({ buffer: 3, form: { c: 0, ax: [0], rx: [0] } });
    expect(affineLoad(k, 2)).toBeUndefined(); // not a load
    const guarded = { ...k, exprs: [{ ...k.exprs[0]!, guard: [{ expr: ax(0), lo: 0, hi: 1 }] }] } as typeof k;
    expect(affineLoad(guarded, 0)).toBeUndefined();
    const divided = {
      ...k,
      exprs: [{ op: 'load', dtype: 'float32', buffer: 0, index: { k: 'div', a: ax(0), c: 2 } }],
    } as typeof k;
    expect(affineLoad(divided, 0)).toBeUndefined();
  });

  it('contractionView reads a convolution as rows = output channel, columns = spatial axes', () => {
    // out[i0, i1, i2, i3] = relu(sum over (r0, r1, r2) of x[i0, r0, i2 + r1 - 1, i3 + r2 - 1] * w[i1, r0, r1, r2] + b[i1])
    const c = (v: number): IndexExpr => ({ k: 'const', v });
    const xIndex = add(
      add(add(add(add(add(mul(ax(0), 108), mul(rax(0), 36)), mul(ax(2), 6)), mul(rax(1), 6)), ax(3)), rax(2)),
      c(-7),
    );
    const conv: Kernel = {
      name: 'k0',
      kind: 'reduce',
      domain: [2, 4, 6, 6],
      reduce: { shape: [3, 3, 3] },
      exprs: [
        {
          op: 'load',
          dtype: 'float32',
          buffer: 0,
          index: xIndex,
          guard: [{ expr: add(add(ax(2), rax(1)), c(-1)), lo: 0, hi: 6 }],
        },
        {
          op: 'load',
          dtype: 'float32',
          buffer: 1,
          index: add(add(add(mul(ax(1), 27), mul(rax(0), 9)), mul(rax(1), 3)), rax(2)),
        },
        { op: 'binary', fn: 'mul', dtype: 'float32', a: 0, b: 1 },
        { op: 'reduce', fn: 'sum', dtype: 'float32', a: 2 },
        { op: 'load', dtype: 'float32', buffer: 2, index: ax(1) },
        { op: 'binary', fn: 'add', dtype: 'float32', a: 3, b: 4 },
      ],
      stores: [
        { buffer: 3, index: add(add(add(mul(ax(0), 144), mul(ax(1), 36)), mul(ax(2), 6)), ax(3)), value: 5 },
      ],
    };
    expect(contractionView(conv)).toEqual({ acc: 3, lhs: 1, rhs: 0, m: 1, n: [2, 3], flatColumns: true });
    // A column-dependent epilogue index that is not the flat position (a transposed store).
    const transposed: Kernel = {
      ...conv,
      stores: [
        { buffer: 3, index: add(add(add(mul(ax(0), 144), mul(ax(1), 36)), mul(ax(3), 6)), ax(2)), value: 5 },
      ],
    };
    expect(contractionView(transposed)?.flatColumns).toBe(false);
    // A max reduction, and a product whose factors both vary along every axis, are not contractions.
    const maxed: Kernel = {
      ...conv,
      exprs: conv.exprs.map((e, i) => (i === 3 ? { ...e, fn: 'max' } : e)) as Kernel['exprs'],
    };
    expect(contractionView(maxed)).toBeUndefined();
    expect(contractionView(program().kernels[0]!)).toBeUndefined();
  });

  it('indexCoefficients returns affine forms, null with div/mod', () => {
    expect(indexCoefficients(add(add(mul(ax(0), 3), rax(0)), { k: 'const', v: 5 }), 2, 1)).toEqual({
      constant: 5,
      axes: [3, 0],
      raxes: [1],
    });
    expect(indexCoefficients(mul(add(ax(1), ax(1)), 2))).toEqual({ constant: 0, axes: [0, 4], raxes: [] });
    expect(indexCoefficients({ k: 'mod', a: ax(0), c: 4 })).toBeNull();
    expect(indexCoefficients(add(ax(0), { k: 'div', a: ax(1), c: 2 }))).toBeNull();
  });
});

describe('exprPhases', () => {
  it('classifies outer / inner / post / post-inner', () => {
    expect(exprPhases(program().kernels[0]!)).toEqual([
      'inner',
      'post',
      'post-inner',
      'post-inner',
      'outer',
      'post',
      'outer',
    ]);
  });
});

describe('verifyProgram', () => {
  it('accepts a valid program', () => {
    expect(() => verifyProgram(program())).not.toThrow();
  });

  const fails = (mutate: (p: KernelProgram) => void, fragment: string) => {
    const p = program();
    mutate(p);
    let err: unknown;
    try {
      verifyProgram(p);
    } catch (e) {
      err = e;
    }
    expect(err, fragment).toBeInstanceOf(VerifyError);
    expect((err as Error).message).toContain(fragment);
  };
  const k = (p: KernelProgram) => p.kernels[0]!;

  it('rejects broken programs, naming kernel and expr', () => {
    fails((p) => {
      k(p).exprs[2] = { op: 'binary', fn: 'sub', dtype: 'float32', a: 0, b: 5 };
    }, 'kernel k0 e2: operand e5 is not an earlier expr');
    fails((p) => {
      k(p).exprs[0] = { op: 'load', dtype: 'int32', buffer: 0, index: ax(0) };
    }, 'loads int32 from b0');
    fails((p) => {
      k(p).exprs[0] = { op: 'load', dtype: 'float32', buffer: 9, index: ax(0) };
    }, 'b9 is not declared');
    fails((p) => {
      k(p).exprs[0] = { op: 'load', dtype: 'float32', buffer: 0, index: ax(1) };
    }, 'axis 1 is outside the domain rank 1');
    fails((p) => {
      k(p).exprs[0] = { op: 'load', dtype: 'float32', buffer: 0, index: rax(2) };
    }, 'reduction axis 2');
    fails((p) => {
      k(p).stores[0]!.value = 3;
    }, "phase 'post-inner'");
    fails((p) => {
      k(p).stores[0]!.value = 0;
    }, "phase 'inner'");
    fails((p) => {
      k(p).exprs.push({ op: 'reduce', fn: 'sum', dtype: 'float32', a: 3 });
    }, 'nested');
    fails((p) => {
      k(p).stores[0]!.buffer = 0;
    }, 'stores into input buffer b0');
    fails((p) => {
      k(p).exprs[5] = { op: 'binary', fn: 'lt', dtype: 'float32', a: 1, b: 4 };
    }, 'must have dtype bool');
    fails((p) => {
      k(p).exprs[5] = { op: 'binary', fn: 'add', dtype: 'float32', a: 1, b: 6 };
      k(p).exprs[6] = { op: 'const', dtype: 'int32', value: 1 };
    }, 'operand e6 is not an earlier expr');
    fails((p) => {
      delete k(p).reduce;
    }, 'reduction axis 0 is outside the reduction rank 0');
    fails((p) => {
      delete k(p).reduce;
      k(p).exprs[0] = { op: 'load', dtype: 'float32', buffer: 0, index: ax(0) };
    }, 'reduce expr in a kernel without a reduction domain');
    fails((p) => {
      p.outputShapes[0] = [3];
    }, 'output 0 shape [3]');
    fails((p) => {
      p.inputs = [1];
    }, "has kind 'output', expected 'input'");
    fails((p) => {
      p.constants = [];
    }, 'constant 0 does not exist');
    fails((p) => {
      p.buffers.push({ id: 4, dtype: 'float32', size: 8, kind: 'temp', slot: 0 });
      p.slots = [{ id: 0, bytes: 16 }];
    }, 'needs 32');
    fails((p) => {
      p.kernels.push({ ...k(p) });
    }, 'unique');
    fails((p) => {
      k(p).exprs[0] = { op: 'load', dtype: 'float32', buffer: 0, index: add(mul(ax(0), 4), rax(0)) };
    }, 'load index ranges over [0, 6], outside b0 of size 6');
    fails((p) => {
      k(p).stores[0]!.index = add(ax(0), { k: 'const', v: -1 });
    }, 'store index ranges over [-1, 0]');
  });

  it('shows the kernel around the faulty expr', () => {
    const p = program();
    k(p).stores[0]!.value = 3;
    try {
      verifyProgram(p);
    } catch (e) {
      expect((e as VerifyError).excerpt).toContain('> ');
      expect((e as VerifyError).excerpt).toContain('store b1[i0] = e3');
    }
  });
});

describe('program JSON and text', () => {
  it('round-trips exactly', () => {
    const p = program();
    const json = serializeProgram(p);
    const back = deserializeProgram(json);
    expect(back).toStrictEqual(p);
    expect(Object.is(back.constants[0]![0], -0)).toBe(true);
    expect((back.kernels[0]!.exprs[4] as { value: number }).value).toBeNaN();
  });

  it('rejects malformed program documents with typed errors', () => {
    const good = JSON.parse(serializeProgram(program()));
    const cases: [(d: any) => void, new (...args: any[]) => Error, string][] = [
      [
        (d) => {
          d.program.kernels[0].exprs[0].op = 'teleport';
        },
        SerializationError,
        'program.kernels.0.exprs.0',
      ],
      [
        (d) => {
          d.program.kernels[0].exprs[0].index = { k: 'div', a: { k: 'axis', axis: 0 }, c: 0 };
        },
        SerializationError,
        'exprs.0.index',
      ],
      [
        (d) => {
          d.program.kernels[0].name = 'k0; alert(1)';
        },
        SerializationError,
        'identifiers',
      ],
      [
        (d) => {
          d.program.kernels[0].stores[0].value = 99;
        },
        VerifyError,
        'e99',
      ],
      [
        (d) => {
          d.irVersion = '9.1';
        },
        VersionError,
        '9.1',
      ],
      [
        (d) => {
          d.kind = 'graph';
        },
        SerializationError,
        'kind',
      ],
    ];
    for (const [mutate, cls, fragment] of cases) {
      const d = structuredClone(good);
      mutate(d);
      expect(() => deserializeProgram(JSON.stringify(d)), fragment).toThrow(cls);
      expect(() => deserializeProgram(JSON.stringify(d)), fragment).toThrow(fragment);
    }
    expect(() => deserializeProgram('not json')).toThrow(SerializationError);
  });

  it('prints a readable text form', () => {
    const text = printProgram(program());
    expect(text).toContain('program @p (inputs b0; outputs b1, b2)');
    expect(text).toContain('kernel k0 reduce domain [2] reduce [3] {');
    expect(text).toContain('e0: f32 = load b0[i0*3 + r0]');
    expect(text).toContain('e1: f32 = reduce max e0');
    expect(text).toContain('e4: f32 = const nan');
    expect(text).toContain('store(reduction) b2[i0*3 + r0] = e3');
  });
});
