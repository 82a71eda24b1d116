import { full, type Tensor, tensor } from '@paradox/tracer';
import { describe, expect, it } from 'vitest';
import { jit } from '../src/index.js';
import './helpers.js';

const values = (t: unknown): number[] => Array.from((t as Tensor).dataSync() as ArrayLike<number>);

describe('int32 and bool literals convert as cast does, everywhere (issue 18 item 7)', () => {
  it('tensor() saturates out-of-range int32 data instead of wrapping', () => {
    expect(values(tensor([3e9], [1], 'int32'))).toEqual([2147483647]);
    expect(values(tensor([-3e9, NaN, 2.9, -2.9], [4], 'int32'))).toEqual([-2147483648, 0, 2, -2]);
    // The same values as cast from float32.
    expect(values(tensor([3e9, -3e9, NaN, 2.9], [4]).cast('int32'))).toEqual([2147483647, -2147483648, 0, 2]);
  });

  it('bool data: anything but 0 is true, as cast makes it (NaN included)', () => {
    expect(values(tensor([NaN, 0, -0, 2], [4], 'bool'))).toEqual(
      values(tensor([NaN, 0, -0, 2]).cast('bool')),
    );
    expect(values(full([2], NaN, 'bool'))).toEqual([1, 1]);
  });

  it('a scalar operand outside int32 saturates the same eagerly and jitted', () => {
    const f = (x: Tensor) => x.add(3e9).sub(x);
    const x = tensor([0, 5], [2], 'int32');
    expect(values(f(x))).toEqual([2147483647, 2147483647]);
    expect(values(jit(f)(x))).toEqual([2147483647, 2147483647]);
    const g = (x: Tensor) => x.pad([[1, 1]], -1e12);
    expect(values(g(x))).toEqual([-2147483648, 0, 5, -2147483648]);
    expect(values(jit(g)(x))).toEqual([-2147483648, 0, 5, -2147483648]);
  });
});
