import { createJsBackend } from '@paradox/backend-js';
import { IR_VERSION, type KernelProgram } from '@paradox/ir';
import { describe, expect, it } from 'vitest';

const N = 1 << 15; // 128 KiB of float32: large enough for the buffer pool

/** out[i] = in[i] for i < written; elements from `written` on are never stored. */
function copyPrefix(written: number): KernelProgram {
  return {
    irVersion: IR_VERSION,
    name: 'p',
    buffers: [
      { id: 0, dtype: 'float32', size: N, kind: 'input' },
      { id: 1, dtype: 'float32', size: N, kind: 'output' },
    ],
    kernels: [
      {
        name: 'k0',
        kind: 'elementwise',
        domain: [written],
        exprs: [{ op: 'load', dtype: 'float32', buffer: 0, index: { k: 'axis', axis: 0 } }],
        stores: [{ buffer: 1, index: { k: 'axis', axis: 0 }, value: 0 }],
      },
    ],
    inputs: [0],
    outputs: [1],
    inputShapes: [[N]],
    outputShapes: [[N]],
    slots: [],
    constants: [],
  };
}

describe('outputs a program does not fully write (#24 item 3)', () => {
  it("never show a freed tensor's data", () => {
    const js = createJsBackend();
    const input = js.allocate('float32', N);
    js.upload(
      input,
      Float32Array.from({ length: N }, (_, i) => i + 1),
    );
    const [secret] = js.compile(copyPrefix(N)).run([input]);
    expect((js.download(secret!) as Float32Array)[N - 1]).toBe(N);
    const small = js.allocate('float32', N);
    js.upload(small, new Float32Array(N).fill(-1));
    js.free(secret!); // its memory goes back to the pool, for the next output
    const [out] = js.compile(copyPrefix(N / 2)).run([small]);
    const got = js.download(out!) as Float32Array;
    expect(got[0]).toBe(-1);
    expect(got[N / 2 - 1]).toBe(-1);
    expect(got[N / 2]).toBe(0);
    expect(got[N - 1]).toBe(0);
    expect(got.subarray(N / 2).every((v) => v === 0)).toBe(true);
  });
});
