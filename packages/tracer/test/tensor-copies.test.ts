import { getBackend } from '@paradox/backend';
import '@paradox/backend-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  backendExecutor,
  interpreterExecutor,
  setEagerExecutor,
  type Tensor,
  tensor,
  traceWithInfo,
  zeros,
} from '../src/index.js';
import './inject-lowering.js';

// tensor() of a typed array never aliases the caller's array, and on the backend path it is copied
// once, by the upload (no host copy first).
describe('tensor() of a typed array', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('uploads the caller array itself on a backend, and later changes to it do not show', () => {
    const previous = setEagerExecutor(backendExecutor);
    try {
      const upload = vi.spyOn(getBackend(), 'upload');
      const data = Float32Array.from([1, 2, 3, 4]);
      const t = tensor(data, [2, 2]);
      expect(upload).toHaveBeenCalledTimes(1);
      expect(upload.mock.calls[0]![1]).toBe(data);
      data[0] = 100;
      expect(Array.from(t.dataSync())).toEqual([1, 2, 3, 4]);
      expect(Array.from(t.add(1).dataSync())).toEqual([2, 3, 4, 5]);
    } finally {
      setEagerExecutor(previous);
    }
  });

  it('converts an array of another type once, and keeps its own copy on the interpreter', () => {
    const previous = setEagerExecutor(interpreterExecutor);
    try {
      const ints = Int32Array.from([1, -2, 3]);
      const a = tensor(ints, [3], 'float32');
      const floats = Float32Array.from([0.5, 1.5]);
      const b = tensor(floats);
      ints[0] = 7;
      floats[0] = 7;
      expect(a.dtype).toBe('float32');
      expect(Array.from(a.dataSync())).toEqual([1, -2, 3]);
      expect(Array.from(b.dataSync())).toEqual([0.5, 1.5]);
    } finally {
      setEagerExecutor(previous);
    }
  });

  it('keeps a copy as the host data of a tensor made inside a trace', () => {
    const data = Float32Array.from([1, 2]);
    const info = traceWithInfo((x: Tensor) => x.add(tensor(data)), zeros([2]));
    data[0] = 50;
    expect(info.constants).toHaveLength(1);
    expect(Array.from(info.constants[0]!.tensor.dataSync())).toEqual([1, 2]);
  });
});
