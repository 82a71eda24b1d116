import { registerBackend, unregisterBackend } from '@paradox/backend';
import { createJsBackend } from '@paradox/backend-js';
import { type Tensor, tensor } from '@paradox/tracer';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jit } from '../src/index.js';
import { expectValues } from './helpers.js';

// An input that lives on another host-memory backend reaches the jit's backend by one copy: the
// upload reads the source backend's own array (readInPlace), not a download() copy of it.
describe('jit inputs on another host backend', () => {
  const target = createJsBackend({ name: 'js-target' });
  beforeAll(() => registerBackend(target, { priority: 0 }));
  afterAll(() => unregisterBackend('js-target'));

  it('are uploaded from the source array itself, with the same results, and stay intact', () => {
    const x = tensor(Float32Array.from([1, -2, 3, -4]));
    const source = x.storage('test');
    if (source.kind !== 'device') throw new Error('expected x on a backend');
    const download = vi.spyOn(source.backend, 'download');
    const upload = vi.spyOn(target, 'upload');
    const f = jit((a: Tensor) => a.mul(2).relu(), { backend: 'js-target' });
    for (let i = 0; i < 3; i++) expectValues(f(x), [2, 0, 6, 0]);
    expect(upload).toHaveBeenCalled();
    const read = (source.buffer as unknown as { data: Float32Array }).data;
    for (const call of upload.mock.calls) if (call[1].length === 4) expect(call[1]).toBe(read);
    expect(download).not.toHaveBeenCalled();
    expectValues(x, [1, -2, 3, -4]);
    vi.restoreAllMocks();
  });
});
