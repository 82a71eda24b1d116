import { beforeAll, describe, expect, it } from 'vitest';
import {
  arange,
  interpreterExecutor,
  setEagerExecutor,
  TensorArgumentError,
  TensorDataError,
  TensorDisposedError,
  TensorTransferredError,
  tensor,
  zeros,
} from '../src/index.js';

beforeAll(() => {
  setEagerExecutor(interpreterExecutor);
});

describe('tensor()', () => {
  it('infers shape and dtype from nested arrays and typed arrays', () => {
    const a = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect([a.shape, a.dtype]).toEqual([[2, 3], 'float32']);
    expect(tensor([true, false]).dtype).toBe('bool');
    expect(tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    expect(tensor(new Uint8Array([1, 0])).dtype).toBe('bool');
    expect(tensor(new Float64Array([0.5])).dtype).toBe('float32');
    const s = tensor(3);
    expect([s.shape, s.toArray()]).toEqual([[], 3]);
    expect(tensor(new Float32Array([1, 2, 3, 4]), [2, 2]).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(tensor([1.9, -1.9], undefined, 'int32').toArray()).toEqual([1, -1]);
    expect(tensor([[]]).shape).toEqual([1, 0]);
  });

  it('rejects malformed data with TensorDataError', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(TensorDataError);
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged.*\[1\] has length 1, expected 2/);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/3 values do not fill shape \[2,2\]/);
    expect(() => tensor([1, 'a' as never])).toThrow(/element \[1\] is string/);
    expect(() => tensor([1], [1], 'float64' as never)).toThrow(/unknown dtype 'float64'/);
  });
});

describe('reading data', () => {
  it('data(), dataSync() and toArray() return copies', async () => {
    const t = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      undefined,
      'int32',
    );
    const d = t.dataSync();
    expect(d).toBeInstanceOf(Int32Array);
    d[0] = 99;
    expect([...(await t.data())]).toEqual([1, 2, 3, 4]);
    expect(t.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(tensor([true, false]).toArray()).toEqual([true, false]);
  });

  it('one-element tensors convert to JS numbers eagerly; larger ones refuse', () => {
    const s = tensor([2, 3]).sum();
    expect(Number(s)).toBe(5);
    expect(+s > 4).toBe(true);
    expect(() => Number(tensor([1, 2]))).toThrow(TensorArgumentError);
    expect(`${tensor([1, 2])}`).toBe('tensor([1., 2.], dtype=float32)');
  });
});

describe('toString', () => {
  it('prints like numpy', () => {
    expect(
      tensor([
        [1, 2.5],
        [-3, 4],
      ]).toString(),
    ).toBe('tensor([[ 1. ,  2.5],\n        [-3. ,  4. ]], dtype=float32)');
    expect(tensor([[[1, 2]], [[3, 4]]], undefined, 'int32').toString()).toBe(
      'tensor([[[1, 2]],\n\n        [[3, 4]]], dtype=int32)',
    );
    expect(tensor([true, false]).toString()).toBe('tensor([ true, false], dtype=bool)');
    expect(tensor(7).toString()).toBe('tensor(7., dtype=float32)');
    expect(tensor([NaN, -Infinity]).toString()).toBe('tensor([ nan, -inf], dtype=float32)');
    expect(zeros([0, 3]).toString()).toBe('tensor([], shape=[0,3], dtype=float32)');
  });

  it('summarizes big tensors', () => {
    const big = arange(2000).reshape([40, 50]).toString();
    expect(big.split('\n')).toHaveLength(7);
    expect(big).toContain('[   0,    1,    2, ...,   47,   48,   49]');
    expect(big).toContain('...');
    expect(big).toContain('[1950, 1951, 1952, ..., 1997, 1998, 1999]]');
  });
});

describe('dispose', () => {
  it('makes later use a clear error and is idempotent', () => {
    const t = tensor([1, 2]);
    t.dispose();
    t.dispose();
    expect(t.isDisposed).toBe(true);
    expect(() => t.dataSync()).toThrow(TensorDisposedError);
    expect(() => t.add(1)).toThrow(/dataSync\(\)|eager op|disposed/);
    expect(t.toString()).toMatch(/disposed/);
  });

  it('dataSync({ transfer: true }) reads and disposes in one step; later use is a TensorTransferredError', async () => {
    const t = tensor([1.5, -2, 3]);
    const out = t.dataSync({ transfer: true });
    expect([...out]).toEqual([1.5, -2, 3]);
    expect(t.isDisposed).toBe(true);
    expect(() => t.dataSync()).toThrow(TensorTransferredError);
    expect(() => t.dataSync()).toThrow(TensorDisposedError); // a kind of disposal
    expect(() => t.dataSync()).toThrow(/transfer/);
    expect(() => t.dataSync({ transfer: true })).toThrow(TensorTransferredError);
    expect(t.toString()).toMatch(/transferred/);
    t.dispose(); // still idempotent

    const u = tensor([[4, 5]], undefined, 'int32');
    const values = await u.data({ transfer: true });
    expect(values).toBeInstanceOf(Int32Array);
    expect([...values]).toEqual([4, 5]);
    expect(u.isDisposed).toBe(true);
    await expect(u.data()).rejects.toThrow(TensorTransferredError);
    const d = tensor([1]);
    d.dispose();
    expect(() => d.dataSync({ transfer: true })).toThrow(/was already disposed/); // plain disposal
  });

  it('works with `using`', () => {
    let escaped: ReturnType<typeof zeros> | undefined;
    {
      using t = zeros([2]);
      escaped = t;
      expect(t.isDisposed).toBe(false);
    }
    expect(escaped.isDisposed).toBe(true);
  });
});

it('arange validates its arguments', () => {
  expect(() => arange(0, 5, 0)).toThrow(/non-zero step/);
});
