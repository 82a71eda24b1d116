import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ArityError,
  AttrError,
  BINARY_OPS,
  BUILTIN_OP_TABLE,
  canonicalAttrs,
  DTypeError,
  getOp,
  hasOp,
  inferNodeType,
  listOps,
  OpRegistrationError,
  registerOp,
  ShapeError,
  type TensorType,
  UNARY_OPS,
  UnknownOpError,
  unregisterOp,
} from '../src/index.js';
import { b8, f16, f32, i32 } from './helpers.js';

const infer = (op: string, inputs: TensorType[], attrs: Record<string, unknown> = {}) =>
  inferNodeType(op, inputs, attrs);

/** Asserts the error class and that the message names the op and every operand type. */
function expectRejects(
  cls: new (...a: any[]) => Error,
  op: string,
  inputs: TensorType[],
  attrs: Record<string, unknown>,
  ...fragments: string[]
) {
  let err: unknown;
  try {
    infer(op, inputs, attrs);
  } catch (e) {
    err = e;
  }
  expect(err, `${op} should throw`).toBeInstanceOf(cls);
  const msg = (err as Error).message;
  expect(msg).toContain(op);
  if (cls === ShapeError || cls === DTypeError) {
    for (const t of inputs) expect(msg).toContain(`[${t.shape.join(',')}]`);
  }
  for (const f of fragments) expect(msg).toContain(f);
}

describe('registry', () => {
  it('declares every op of set v1 exactly once, with traits', () => {
    const names = Object.keys(BUILTIN_OP_TABLE);
    // op set v1 (49) + gather, scatterAdd, argmin, erf + conv, convTranspose, maxPool, avgPool, cumsum
    expect(names.length).toBe(49 + 4 + 5);
    for (const n of names) expect(getOp(n).name).toBe(n);
    expect(listOps()).toEqual(expect.arrayContaining(names));
    for (const u of UNARY_OPS) expect(getOp(u).traits.elementwise).toBe(true);
    for (const b of BINARY_OPS) expect(getOp(b).arity).toBe(2);
    expect(getOp('add').traits.commutative).toBe(true);
    expect(getOp('sub').traits.commutative).toBe(false);
    expect(getOp('sum').traits.reduction).toBe(true);
    expect(getOp('reshape').traits.movement).toBe(true);
    expect(getOp('random').traits.impure).toBe(true);
    expect(getOp('matmul').traits.contraction).toBe(true);
    expect(getOp('gather').traits.opaque).toBe(true);
    expect(getOp('iota').traits.creation).toBe(true);
    expect(getOp('concat').arity).toBe('variadic');
    expect(typeof getOp('exp').traits.cost).toBe('number');
  });

  it('rejects unknown ops with UnknownOpError', () => {
    expect(hasOp('frobnicate')).toBe(false);
    expect(() => getOp('frobnicate')).toThrow(UnknownOpError);
    expect(() => infer('frobnicate', [f32(2)])).toThrow(/unknown op 'frobnicate'/);
  });

  it('registerOp adds an op from outside and rejects duplicates and bad names', () => {
    const def = {
      name: 'test.square',
      arity: 1,
      attrs: z.strictObject({}),
      traits: { elementwise: true, cost: 1 },
      inferType: ([x]: TensorType[]) => x!,
      evaluate: ([x]: any[]) => ({ ...x, data: x.data.map((v: number) => v * v) }),
    };
    registerOp(def);
    try {
      expect(hasOp('test.square')).toBe(true);
      expect(infer('test.square', [f32(3)])).toEqual(f32(3));
      expect(() => registerOp(def)).toThrow(OpRegistrationError);
      expect(() => registerOp({ ...def, name: 'add' })).toThrow(/already registered/);
      expect(() => registerOp({ ...def, name: 'const' })).toThrow(OpRegistrationError);
      expect(() => registerOp({ ...def, name: 'bad name' })).toThrow(OpRegistrationError);
      expect(() => registerOp({ ...def, name: 'noeval', evaluate: undefined })).toThrow(/evaluate/);
    } finally {
      unregisterOp('test.square');
    }
    expect(hasOp('test.square')).toBe(false);
    expect(() => unregisterOp('add')).toThrow(OpRegistrationError);
  });

  it('checks arity', () => {
    expect(() => infer('add', [f32(2)])).toThrow(ArityError);
    expect(() => infer('neg', [f32(2), f32(2)])).toThrow(/expected 1 input/);
    expect(() => infer('concat', [], { axis: 0 })).toThrow(ArityError);
    expect(() => infer('full', [f32(1)], { value: 1, shape: [], dtype: 'float32' })).toThrow(ArityError);
  });
});

describe('attrs', () => {
  it('AttrError names the op and field', () => {
    expectRejects(AttrError, 'sum', [f32(2)], { axes: [0] }, 'keepdims');
    expectRejects(AttrError, 'sum', [f32(2)], { axes: [0.5], keepdims: false }, 'axes.0');
    expectRejects(AttrError, 'add', [f32(2), f32(2)], { alpha: 1 }, 'alpha');
    expectRejects(AttrError, 'cast', [f32(2)], { dtype: 'float64' }, 'dtype');
    expectRejects(AttrError, 'reshape', [f32(2)], { shape: '2' }, 'shape');
    expectRejects(AttrError, 'pad', [f32(2)], { pads: [[1, -1]], value: 0 }, 'pads.0.1');
    expectRejects(
      AttrError,
      'random',
      [],
      { seed: -1, shape: [2], dtype: 'float32', distribution: 'uniform' },
      'seed',
    );
    expectRejects(
      AttrError,
      'random',
      [],
      { seed: 1, shape: [2], dtype: 'float32', distribution: 'cauchy' },
      'distribution',
    );
    expectRejects(AttrError, 'full', [], { value: '1', shape: [2], dtype: 'float32' }, 'value');
    expectRejects(AttrError, 'broadcast', [f32(2)], { shape: [-1] }, 'shape.0');
  });

  it('accept non-finite numbers where values are numbers', () => {
    expect(infer('full', [], { value: NaN, shape: [2], dtype: 'float32' })).toEqual(f32(2));
    expect(infer('pad', [f32(2)], { pads: [[1, 1]], value: -Infinity })).toEqual(f32(4));
  });
});

describe('unary', () => {
  it('keeps dtype and shape', () => {
    expect(infer('exp', [f32(2, 3)])).toEqual(f32(2, 3));
    expect(infer('sqrt', [f16()])).toEqual(f16());
    expect(infer('neg', [i32(4)])).toEqual(i32(4));
    expect(infer('abs', [i32(0)])).toEqual(i32(0));
    expect(infer('floor', [i32(1)])).toEqual(i32(1));
    expect(infer('not', [b8(3)])).toEqual(b8(3));
    expect(infer('cast', [f32(2)], { dtype: 'bool' })).toEqual(b8(2));
  });

  it('transcendental ops require float', () => {
    for (const op of ['exp', 'log', 'sqrt', 'rsqrt', 'sin', 'cos', 'tanh', 'sigmoid']) {
      expectRejects(DTypeError, op, [i32(3)], {}, 'float');
      expectRejects(DTypeError, op, [b8(3)], {});
    }
  });

  it('not is bool only; numeric ops reject bool', () => {
    expectRejects(DTypeError, 'not', [i32(2)], {}, 'bool');
    expectRejects(DTypeError, 'not', [f32(2)], {});
    for (const op of ['neg', 'abs', 'relu', 'sign', 'floor', 'ceil'])
      expectRejects(DTypeError, op, [b8(2)], {});
  });
});

describe('binary', () => {
  it('broadcasts numpy-style and promotes', () => {
    expect(infer('add', [f32(4, 1), f32(3)])).toEqual(f32(4, 3));
    expect(infer('add', [f32(), f32(2, 3)])).toEqual(f32(2, 3));
    expect(infer('mul', [i32(2, 1, 3), f32(5, 1)])).toEqual(f32(2, 5, 3));
    expect(infer('add', [f16(2), f32(2)])).toEqual(f32(2));
    expect(infer('add', [b8(2), i32(2)])).toEqual(i32(2));
    expect(infer('div', [i32(2), i32(2)])).toEqual(i32(2));
    expect(infer('add', [f32(0, 3), f32(1, 3)])).toEqual(f32(0, 3));
    expect(infer('maximum', [b8(2), b8(2)])).toEqual(b8(2));
  });

  it('comparisons give bool', () => {
    for (const op of ['eq', 'ne', 'lt', 'le', 'gt', 'ge'])
      expect(infer(op, [f32(2, 1), i32(3)])).toEqual(b8(2, 3));
  });

  it('and/or are bool only', () => {
    expect(infer('and', [b8(2), b8(1)])).toEqual(b8(2));
    expectRejects(DTypeError, 'and', [i32(2), i32(2)], {}, 'bool');
    expectRejects(DTypeError, 'or', [b8(2), f32(2)], {});
  });

  it('arithmetic on bool is rejected', () => {
    expectRejects(DTypeError, 'add', [b8(2), b8(2)], {}, 'bool');
    expectRejects(DTypeError, 'pow', [b8(2), b8(2)], {});
  });

  it('incompatible shapes are a ShapeError naming both shapes', () => {
    expectRejects(ShapeError, 'add', [f32(4, 3), f32(4)], {}, 'broadcast');
    expectRejects(ShapeError, 'eq', [f32(2, 3), f32(3, 2)], {});
    expectRejects(ShapeError, 'add', [f32(0), f32(2)], {});
  });

  it('where: bool condition, three-way broadcast, promotion', () => {
    expect(infer('where', [b8(2, 1), f32(3), i32()])).toEqual(f32(2, 3));
    expectRejects(DTypeError, 'where', [f32(2), f32(2), f32(2)], {}, 'condition');
    expectRejects(ShapeError, 'where', [b8(2), f32(3), f32(3)], {});
  });
});

describe('reductions', () => {
  it('reduce over axes with keepdims, negative axes allowed', () => {
    expect(infer('sum', [f32(2, 3, 4)], { axes: [1], keepdims: false })).toEqual(f32(2, 4));
    expect(infer('sum', [f32(2, 3, 4)], { axes: [-1, 0], keepdims: true })).toEqual(f32(1, 3, 1));
    expect(infer('max', [f32(2, 3)], { axes: [0, 1], keepdims: false })).toEqual(f32());
    expect(infer('min', [f32(2, 3)], { axes: [], keepdims: false })).toEqual(f32(2, 3));
    expect(infer('sum', [b8(4)], { axes: [0], keepdims: false })).toEqual(i32());
    expect(infer('prod', [i32(4)], { axes: [0], keepdims: false })).toEqual(i32());
    expect(infer('max', [b8(4)], { axes: [0], keepdims: false })).toEqual(b8());
    expect(infer('sum', [f32(0, 3)], { axes: [0], keepdims: false })).toEqual(f32(3));
    expect(infer('max', [f32(3, 0)], { axes: [0], keepdims: false })).toEqual(f32(0));
  });

  it('canonical attrs are normalized and sorted', () => {
    expect(canonicalAttrs('sum', [f32(2, 3, 4)], { axes: [-1, 0], keepdims: true })).toEqual({
      axes: [0, 2],
      keepdims: true,
    });
    expect(canonicalAttrs('argmax', [f32(2, 3)], { axis: -1, keepdims: false })).toEqual({
      axis: 1,
      keepdims: false,
    });
    expect(canonicalAttrs('reshape', [f32(2, 3)], { shape: [-1, 2] })).toEqual({ shape: [3, 2] });
    expect(canonicalAttrs('concat', [f32(2), f32(3)], { axis: -1 })).toEqual({ axis: 0 });
    expect(canonicalAttrs('transpose', [f32(2, 3)], { perm: [-1, 0] })).toEqual({ perm: [1, 0] });
  });

  it('bad axes are ShapeErrors', () => {
    expectRejects(ShapeError, 'sum', [f32(2, 3)], { axes: [2], keepdims: false }, 'axis 2', 'rank 2');
    expectRejects(ShapeError, 'sum', [f32(2, 3)], { axes: [-3], keepdims: false }, 'out of range');
    expectRejects(ShapeError, 'sum', [f32(2, 3)], { axes: [1, -1], keepdims: false }, 'repeated');
    expectRejects(ShapeError, 'sum', [f32()], { axes: [0], keepdims: false });
  });

  it('max/min/argmax of an empty extent into a non-empty result are rejected', () => {
    expectRejects(ShapeError, 'max', [f32(0, 3)], { axes: [0], keepdims: false }, 'empty');
    expectRejects(ShapeError, 'min', [f32(0)], { axes: [0], keepdims: false }, 'identity');
    expectRejects(ShapeError, 'argmax', [f32(3, 0)], { axis: 1, keepdims: false }, 'empty');
  });

  it('argmax', () => {
    expect(infer('argmax', [f32(2, 3)], { axis: 1, keepdims: false })).toEqual(i32(2));
    expect(infer('argmax', [f32(2, 3)], { axis: -2, keepdims: true })).toEqual(i32(1, 3));
    expectRejects(ShapeError, 'argmax', [f32(2, 3)], { axis: 2, keepdims: false }, 'axis 2');
    expectRejects(ShapeError, 'argmax', [f32()], { axis: 0, keepdims: false });
  });
});

describe('matmul', () => {
  it('follows numpy (batch broadcast, 1-D operands)', () => {
    expect(infer('matmul', [f32(2, 3), f32(3, 4)])).toEqual(f32(2, 4));
    expect(infer('matmul', [f32(5, 1, 2, 3), f32(7, 3, 4)])).toEqual(f32(5, 7, 2, 4));
    expect(infer('matmul', [f32(3), f32(3, 4)])).toEqual(f32(4));
    expect(infer('matmul', [f32(2, 3), f32(3)])).toEqual(f32(2));
    expect(infer('matmul', [f32(3), f32(3)])).toEqual(f32());
    expect(infer('matmul', [f32(6, 2, 3), f32(3)])).toEqual(f32(6, 2));
    expect(infer('matmul', [i32(2, 3), f32(3, 1)])).toEqual(f32(2, 1));
    expect(infer('matmul', [f32(2, 0), f32(0, 4)])).toEqual(f32(2, 4));
  });

  it('rejects mismatches', () => {
    expectRejects(ShapeError, 'matmul', [f32(2, 3), f32(4, 5)], {}, '3', '4');
    expectRejects(ShapeError, 'matmul', [f32(2, 2, 3), f32(3, 3, 4)], {}, 'batch');
    expectRejects(ShapeError, 'matmul', [f32(), f32(3)], {}, 'rank');
    expectRejects(DTypeError, 'matmul', [b8(2, 2), b8(2, 2)], {});
  });
});

describe('movement', () => {
  it('reshape with one -1', () => {
    expect(infer('reshape', [f32(2, 3, 4)], { shape: [6, -1] })).toEqual(f32(6, 4));
    expect(infer('reshape', [f32(1, 1)], { shape: [] })).toEqual(f32());
    expect(infer('reshape', [f32(0, 3)], { shape: [3, 0] })).toEqual(f32(3, 0));
    expectRejects(ShapeError, 'reshape', [f32(2, 3)], { shape: [4, 2] }, '8', '6');
    expectRejects(ShapeError, 'reshape', [f32(2, 3)], { shape: [-1, -1] }, 'more than one -1');
    expectRejects(ShapeError, 'reshape', [f32(2, 3)], { shape: [4, -1] }, 'cannot infer');
    expectRejects(ShapeError, 'reshape', [f32(0, 3)], { shape: [0, -1] }, 'cannot infer');
    expectRejects(ShapeError, 'reshape', [f32(6)], { shape: [-2, -3] });
  });

  it('transpose needs a permutation', () => {
    expect(infer('transpose', [f32(2, 3, 4)], { perm: [2, 0, 1] })).toEqual(f32(4, 2, 3));
    expectRejects(ShapeError, 'transpose', [f32(2, 3)], { perm: [0, 0] }, 'permutation');
    expectRejects(ShapeError, 'transpose', [f32(2, 3)], { perm: [0] }, 'rank 2');
  });

  it('broadcast follows numpy rules', () => {
    expect(infer('broadcast', [f32(3)], { shape: [2, 3] })).toEqual(f32(2, 3));
    expect(infer('broadcast', [f32(1, 3)], { shape: [4, 3] })).toEqual(f32(4, 3));
    expect(infer('broadcast', [f32()], { shape: [0, 2] })).toEqual(f32(0, 2));
    expectRejects(ShapeError, 'broadcast', [f32(2)], { shape: [3] }, 'cannot broadcast to [3]');
    expectRejects(ShapeError, 'broadcast', [f32(2, 3)], { shape: [3] });
  });

  it('slice: numpy semantics with negative indices, steps, clamping, null stops', () => {
    const s = (shape: number[], starts: number[], stops: (number | null)[], steps: number[]) =>
      infer('slice', [f32(...shape)], { starts, stops, steps }).shape;
    expect(s([10], [2], [8], [1])).toEqual([6]);
    expect(s([10], [2], [8], [3])).toEqual([2]);
    expect(s([10], [-3], [null], [1])).toEqual([3]);
    expect(s([10], [-1], [null], [-1])).toEqual([10]);
    expect(s([10], [8], [2], [-2])).toEqual([3]);
    expect(s([10], [0], [100], [1])).toEqual([10]);
    expect(s([10], [-100], [100], [1])).toEqual([10]);
    expect(s([10], [5], [2], [1])).toEqual([0]);
    expect(s([10], [100], [null], [-1])).toEqual([10]);
    expect(s([10], [-100], [null], [-1])).toEqual([0]);
    expect(s([0], [0], [null], [1])).toEqual([0]);
    expect(s([4, 5], [1, -1], [3, 0], [1, -2])).toEqual([2, 2]);
    expectRejects(ShapeError, 'slice', [f32(4)], { starts: [0], stops: [4], steps: [0] }, 'step 0');
    expectRejects(ShapeError, 'slice', [f32(4, 4)], { starts: [0], stops: [4], steps: [1] }, 'rank 2');
    expectRejects(AttrError, 'slice', [f32(4)], { starts: [0], stops: [4] }, 'steps');
  });

  it('pad and concat', () => {
    expect(
      infer('pad', [f32(2, 3)], {
        pads: [
          [1, 0],
          [2, 2],
        ],
        value: 0,
      }),
    ).toEqual(f32(3, 7));
    expectRejects(ShapeError, 'pad', [f32(2, 3)], { pads: [[1, 0]], value: 0 }, 'rank 2');
    expect(infer('concat', [f32(2, 3), f32(4, 3), f32(0, 3)], { axis: 0 })).toEqual(f32(6, 3));
    expect(infer('concat', [f32(2, 3), f32(2, 1)], { axis: -1 })).toEqual(f32(2, 4));
    expect(infer('concat', [i32(5)], { axis: 0 })).toEqual(i32(5));
    expectRejects(ShapeError, 'concat', [f32(2, 3), f32(3, 3)], { axis: 1 }, 'dimension 0');
    expectRejects(ShapeError, 'concat', [f32(2, 3), f32(3)], { axis: 0 }, 'rank');
    expectRejects(ShapeError, 'concat', [f32(), f32()], { axis: 0 }, 'out of range');
    expectRejects(DTypeError, 'concat', [f32(2), i32(2)], { axis: 0 }, 'dtype');
  });
});

describe('creation', () => {
  it('infers from attrs', () => {
    expect(infer('constant', [], { value: 3, dtype: 'int32' })).toEqual(i32());
    expect(infer('full', [], { value: 1, shape: [2, 0], dtype: 'bool' })).toEqual(b8(2, 0));
    expect(infer('iota', [], { shape: [3, 4], axis: -1, dtype: 'int32' })).toEqual(i32(3, 4));
    expect(infer('random', [], { seed: 7, shape: [5], dtype: 'float32', distribution: 'normal' })).toEqual(
      f32(5),
    );
    expectRejects(ShapeError, 'iota', [], { shape: [3], axis: 1, dtype: 'int32' }, 'axis 1');
    expectRejects(DTypeError, 'iota', [], { shape: [3], axis: 0, dtype: 'bool' });
    expectRejects(DTypeError, 'random', [], { seed: 1, shape: [3], dtype: 'int32', distribution: 'uniform' });
  });
});
