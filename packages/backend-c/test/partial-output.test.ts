import { IR_VERSION, type KernelProgram } from '@paradox/ir';
import { describe, expect, it } from 'vitest';
import { createCBackend } from '../src/index.js';

const SIZE = 1 << 16; // 256 KiB of float32: pooled when freed
const c = createCBackend({ threads: 1 });

/** A program that stores out[i] = -x[i] for i < stored only; the rest of `out` is never written. */
function negatePrefix(stored: number): KernelProgram {
  const axis0 = { k: 'axis', axis: 0 } as const;
  return {
    irVersion: IR_VERSION,
    name: 'prefix',
    buffers: [
      { id: 0, dtype: 'float32', size: SIZE, kind: 'input' },
      { id: 1, dtype: 'float32', size: SIZE, kind: 'output' },
    ],
    kernels: [
      {
        name: 'neg',
        kind: 'elementwise',
        domain: [stored],
        exprs: [
          { op: 'load', dtype: 'float32', buffer: 0, index: axis0 },
          { op: 'unary', fn: 'neg', dtype: 'float32', a: 0 },
        ],
        stores: [{ buffer: 1, index: axis0, value: 1 }],
      },
    ],
    inputs: [0],
    outputs: [1],
    inputShapes: [[SIZE]],
    outputShapes: [[SIZE]],
    slots: [],
    constants: [],
  };
}

describe.skipIf(c.unavailableReason !== undefined)('backend-c outputs a program does not fully write', () => {
  it('are zero, not the memory of a freed output', () => {
    const x = c.allocate('float32', SIZE);
    c.upload(x, new Float32Array(SIZE).fill(7));
    const [whole] = c.compile(negatePrefix(SIZE)).run([x]);
    expect(c.download(whole!)[SIZE - 1]).toBe(-7);
    c.free(whole!); // back to the pool: the next output of this size reuses its memory
    const [half] = c.compile(negatePrefix(SIZE / 2)).run([x]);
    const got = c.download(half!);
    expect(got[SIZE / 2 - 1]).toBe(-7);
    expect(got.subarray(SIZE / 2).every((v) => v === 0)).toBe(true);
  });
});
