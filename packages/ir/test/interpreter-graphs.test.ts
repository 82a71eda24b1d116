import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type Attrs,
  castValue,
  type DType,
  evalBinary,
  evalUnary,
  GraphBuilder,
  InterpreterError,
  interpret,
  randomNormal,
  randomUniform,
  registerOp,
  type TensorType,
  unregisterOp,
} from '../src/index.js';
import { host } from './helpers.js';
import { F, I, run, values } from './interpreter-helpers.js';

describe('matmul', () => {
  it('2-D', () => {
    const r = run('matmul', [F([2, 3], [1, 2, 3, 4, 5, 6]), F([3, 2], [7, 8, 9, 10, 11, 12])]);
    expect(r.shape).toEqual([2, 2]);
    expect(values(r)).toEqual([58, 64, 139, 154]);
  });

  it('broadcasts batch dims', () => {
    // a: [2,1,2,2], b: [3,2,2] -> [2,3,2,2]
    const a = F([2, 1, 2, 2], [1, 0, 0, 1, 2, 0, 0, 2]);
    const b = F([3, 2, 2], [1, 2, 3, 4, 0, 1, 1, 0, 5, 5, 5, 5]);
    const r = run('matmul', [a, b]);
    expect(r.shape).toEqual([2, 3, 2, 2]);
    expect(values(r)).toEqual([1, 2, 3, 4, 0, 1, 1, 0, 5, 5, 5, 5, 2, 4, 6, 8, 0, 2, 2, 0, 10, 10, 10, 10]);
  });

  it('1-D operands follow numpy', () => {
    expect(values(run('matmul', [F([3], [1, 2, 3]), F([3], [4, 5, 6])]))).toEqual([32]);
    const vm = run('matmul', [F([2], [1, 2]), F([2, 3], [1, 2, 3, 4, 5, 6])]);
    expect(vm.shape).toEqual([3]);
    expect(values(vm)).toEqual([9, 12, 15]);
    const mv = run('matmul', [F([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]), F([2], [1, -1])]);
    expect(mv.shape).toEqual([2, 2]);
    expect(values(mv)).toEqual([-1, -1, -1, -1]);
  });

  it('int32 wraps; empty K gives zeros; NaN propagates', () => {
    expect(values(run('matmul', [I([1, 2], [65536, 1]), I([2, 1], [65536, 1])]))).toEqual([1]);
    expect(values(run('matmul', [F([2, 0], []), F([0, 2], [])]))).toEqual([0, 0, 0, 0]);
    expect(values(run('matmul', [F([1, 2], [NaN, 1]), F([2, 1], [0, 1])]))).toEqual([NaN]);
  });
});

describe('movement', () => {
  const m = F([2, 3], [0, 1, 2, 3, 4, 5]);
  it('reshape and transpose', () => {
    expect(run('reshape', [m], { shape: [3, -1] }).shape).toEqual([3, 2]);
    const t = run('transpose', [m], { perm: [1, 0] });
    expect(t.shape).toEqual([3, 2]);
    expect(values(t)).toEqual([0, 3, 1, 4, 2, 5]);
    const c = F([2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7]);
    expect(values(run('transpose', [c], { perm: [2, 0, 1] }))).toEqual([0, 2, 4, 6, 1, 3, 5, 7]);
  });

  it('broadcast', () => {
    expect(values(run('broadcast', [F([2, 1], [1, 2])], { shape: [2, 2, 3] }))).toEqual([
      1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2,
    ]);
  });

  it('slice with negative steps, negative indices, null stops, clamping', () => {
    const r = F([10], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const sl = (starts: number[], stops: (number | null)[], steps: number[], x = r) =>
      values(run('slice', [x], { starts, stops, steps }));
    expect(sl([8], [2], [-2])).toEqual([8, 6, 4]);
    expect(sl([-1], [null], [-1])).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(sl([-3], [null], [1])).toEqual([7, 8, 9]);
    expect(sl([1], [100], [3])).toEqual([1, 4, 7]);
    expect(sl([100], [-100], [-4])).toEqual([9, 5, 1]);
    expect(sl([5], [5], [1])).toEqual([]);
    // m[::-1, 1::2] of [[0,1,2],[3,4,5]] = [[4],[1]]
    expect(sl([-1, 1], [null, null], [-1, 2], m)).toEqual([4, 1]);
    // m[-1:-3:-1, ::-2] = [[5,3],[2,0]]
    expect(sl([-1, -1], [-3, null], [-1, -2], m)).toEqual([5, 3, 2, 0]);
    expect(sl([-1, 0], [-3, null], [-1, -2], m)).toEqual([3, 0]);
  });

  it('pad with a constant', () => {
    const r = run('pad', [F([2, 2], [1, 2, 3, 4])], {
      pads: [
        [1, 0],
        [0, 2],
      ],
      value: 9,
    });
    expect(r.shape).toEqual([3, 4]);
    expect(values(r)).toEqual([9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9]);
    expect(values(run('pad', [I([1], [5])], { pads: [[1, 1]], value: -2.7 }))).toEqual([-2, 5, -2]);
    expect(values(run('pad', [F([0], [])], { pads: [[1, 1]], value: NaN }))).toEqual([NaN, NaN]);
  });

  it('concat along any axis, variadic', () => {
    const r = run('concat', [F([2, 1], [1, 2]), F([2, 2], [3, 4, 5, 6]), F([2, 0], [])], { axis: -1 });
    expect(r.shape).toEqual([2, 3]);
    expect(values(r)).toEqual([1, 3, 4, 2, 5, 6]);
    expect(values(run('concat', [I([1], [1]), I([2], [2, 3])], { axis: 0 }))).toEqual([1, 2, 3]);
  });
});

describe('creation', () => {
  const create = (op: string, attrs: Attrs) => {
    const b = new GraphBuilder();
    b.output(b.op(op, [], attrs));
    return interpret(b.build(), [])[0]!;
  };
  it('constant, full, iota', () => {
    expect(values(create('constant', { value: 2.9, dtype: 'int32' }))).toEqual([2]);
    expect(create('constant', { value: 1, dtype: 'float32' }).shape).toEqual([]);
    expect(values(create('full', { value: NaN, shape: [2], dtype: 'float32' }))).toEqual([NaN, NaN]);
    expect(values(create('full', { value: 0.5, shape: [2], dtype: 'bool' }))).toEqual([1, 1]);
    expect(values(create('iota', { shape: [2, 3], axis: 1, dtype: 'int32' }))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(values(create('iota', { shape: [2, 3], axis: 0, dtype: 'float32' }))).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('random follows the counter-based spec (element i uses counter i)', () => {
    const u = create('random', { seed: 42, shape: [2, 3], dtype: 'float32', distribution: 'uniform' });
    expect(values(u)).toEqual([0, 1, 2, 3, 4, 5].map((i) => Math.fround(randomUniform(42, i))));
    expect(values(u).every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values(u)).size).toBe(6);
    const n = create('random', { seed: 42, shape: [4], dtype: 'float32', distribution: 'normal' });
    expect(values(n)).toEqual([0, 1, 2, 3].map((i) => Math.fround(randomNormal(42, i))));
    const other = create('random', { seed: 43, shape: [2, 3], dtype: 'float32', distribution: 'uniform' });
    expect(values(other)).not.toEqual(values(u));
  });
});

describe('empty tensors and rank 0', () => {
  it('elementwise on empty and scalars', () => {
    const e = run('add', [F([0, 3], []), F([3], [1, 2, 3])]);
    expect(e.shape).toEqual([0, 3]);
    expect(e.data.length).toBe(0);
    expect(values(run('mul', [F([], [3]), F([], [4])]))).toEqual([12]);
    expect(run('exp', [F([], [0])]).shape).toEqual([]);
  });
});

describe('graphs', () => {
  it('evaluates a multi-node graph with constants; outputs never alias inputs', () => {
    const b = new GraphBuilder('f');
    const x = b.input('x', { dtype: 'float32', shape: [2, 2] });
    const c = b.constant([1, -1], [2], 'float32');
    const y = b.op('relu', [b.op('add', [x, c])]);
    b.output(y, x);
    const xs = new Float32Array([1, 2, -3, 4]);
    const [r, echoed] = interpret(b.build(), [xs]);
    expect(values(r!)).toEqual([2, 1, 0, 3]);
    expect(values(echoed!)).toEqual([1, 2, -3, 4]);
    expect(echoed!.data).not.toBe(xs);
  });

  it('rejects mismatched inputs with InterpreterError', () => {
    const b = new GraphBuilder('f');
    b.output(b.op('neg', [b.input('x', { dtype: 'float32', shape: [2] })]));
    const g = b.build();
    expect(() => interpret(g, [])).toThrow(InterpreterError);
    expect(() => interpret(g, [new Float32Array(3)])).toThrow(/length 2/);
    expect(() => interpret(g, [new Int32Array(2)])).toThrow(/Float32Array/);
    expect(() => interpret(g, [host('float32', [1, 2], [1, 2])])).toThrow(/shape \[2\]/);
    expect(() => interpret(g, [host('int32', [2], [1, 2])])).toThrow(/expected float32/);
  });

  it('runs ops added with registerOp through their evaluate', () => {
    registerOp({
      name: 'test.cube',
      arity: 1,
      attrs: z.strictObject({ scale: z.number() }),
      traits: { elementwise: true },
      inferType: ([x]: TensorType[]) => x!,
      evaluate: ([x], { scale }, out) => ({
        dtype: out.dtype,
        shape: out.shape,
        data: x!.data.map((v) => v * v * v * scale),
      }),
    });
    try {
      const b = new GraphBuilder();
      b.output(b.op('test.cube', [b.input('x', { dtype: 'float32', shape: [2] })], { scale: 2 }));
      expect(values(interpret(b.build(), [new Float32Array([2, -1])])[0]!)).toEqual([16, -2]);
    } finally {
      unregisterOp('test.cube');
    }
  });
});

describe('scalar helpers', () => {
  it('evalUnary/evalBinary/castValue agree with the interpreter', () => {
    const cases: [DType, number, number][] = [
      ['float32', 1.1, 2.2],
      ['int32', -7, 2],
      ['float16', 0.1, 0.2],
    ];
    for (const [dt, a, b] of cases) {
      const av = castValue(a, dt);
      const bv = castValue(b, dt);
      for (const fn of ['add', 'sub', 'mul', 'div', 'mod', 'maximum', 'lt'] as const) {
        const got = run(fn, [host(dt, [1], [av]), host(dt, [1], [bv])]);
        expect(values(got)[0], `${fn} ${dt}`).toBe(evalBinary(fn, av, bv, dt));
      }
      if (dt !== 'int32') expect(values(run('exp', [host(dt, [1], [av])]))[0]).toBe(evalUnary('exp', av, dt));
    }
  });
});
