import { getBackend } from '@paradox/backend';
import { Tensor, tensor } from '@paradox/tracer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JitError, jit } from '../src/index.js';
import './helpers.js';

afterEach(() => vi.restoreAllMocks());

describe('eager fallback runs where the program is supported (issue 18 item 3)', () => {
  it('float16 on js falls back to the reference interpreter, with the same values', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const f = jit((x: Tensor) => x.cast('float16').mul(3).cast('float32'));
    const x = tensor([1, 2.5, 1000.1]);
    const r = f(x) as Tensor;
    expect(r.dtype).toBe('float32');
    // float16 rounding: 1000.1 -> 1000 (spacing 0.5), times 3 -> 3000, as the IR's reference semantics say.
    expect(Array.from(r.dataSync())).toEqual([3, 7.5, 3000]);
    expect(f.cacheInfo().fallbacks).toBe(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/reference interpreter/);
    // Later calls take the cached fallback.
    expect(Array.from((f(tensor([2, 4, 6])) as Tensor).dataSync())).toEqual([6, 12, 18]);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('says clearly when the interpreter cannot run the call either', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const js = getBackend('js');
    const buffer = js.allocate('float32', 1);
    js.upload(buffer, new Float32Array([1]));
    // Data still on its way: the interpreter reads inputs synchronously, so it cannot take this one.
    const pending = new Tensor(
      { dtype: 'float32', shape: [1] },
      { kind: 'device', backend: js, buffer: Promise.resolve(buffer) },
    );
    const f = jit((x: Tensor) => x.cast('float16').mul(3).cast('float32'));
    expect(() => f(pending)).toThrow(JitError);
    expect(() => f(pending)).toThrow(
      /cannot run on backend 'js', and the reference interpreter cannot run this call either/,
    );
  });
});
