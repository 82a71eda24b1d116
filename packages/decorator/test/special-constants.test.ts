import { type Tensor, tensor, where } from '@paradox/tracer';
import { describe, expect, it } from 'vitest';
import { jit } from '../src/index.js';
import './helpers.js';

/** Exact values (NaN equals NaN, -0 differs from +0). */
const exact = (t: unknown): number[] => Array.from((t as Tensor).dataSync() as ArrayLike<number>);
const expectExact = (t: unknown, want: number[]): void => {
  const got = exact(t);
  expect(got.length).toBe(want.length);
  for (const [i, v] of got.entries()) {
    expect(Object.is(v, want[i]), `element ${i}: got ${v}, want ${want[i]}`).toBe(true);
  }
};

describe('jit keeps NaN, ±Infinity and -0 constants apart (issue 24 item 1)', () => {
  it('where(x > 0, Infinity, -Infinity)', () => {
    const f = jit((x: Tensor) => where(x.gt(0), Infinity, -Infinity));
    expectExact(f(tensor([-2, 3])), [-Infinity, Infinity]);
  });

  it('where(x > 0, 0, -0) keeps the sign', () => {
    const f = jit((x: Tensor) => where(x.gt(0), 0, -0));
    expectExact(f(tensor([-2, 3])), [-0, 0]);
  });

  it('pad with Infinity then with NaN', () => {
    const f = jit((x: Tensor) => x.pad([[1, 0]], Infinity).pad([[0, 1]], NaN));
    expectExact(f(tensor([5])), [Infinity, 5, NaN]);
  });

  it('NaN and -Infinity in one kernel', () => {
    const f = jit((x: Tensor) => x.add(NaN).maximum(x.mul(-Infinity)));
    const eager = (x: Tensor) => x.add(NaN).maximum(x.mul(-Infinity));
    expectExact(f(tensor([1, -1])), exact(eager(tensor([1, -1]))));
  });
});

describe('static values key by identity', () => {
  it('two symbols with one description are different static arguments', () => {
    const up = Symbol('mode');
    const down = Symbol('mode');
    const f = jit((x: Tensor, mode: symbol) => (mode === up ? x.add(1) : x.sub(1)));
    expectExact(f(tensor([1]), up), [2]);
    expectExact(f(tensor([1]), down), [0]);
    expectExact(f(tensor([1]), Symbol.for('mode')), [0]);
  });
});
