import type { Backend } from '@paradox/backend';
import { IR_VERSION, type KernelProgram } from '@paradox/ir';
import { execute } from './run-case.js';

/** 256 KiB of float32: big enough that hosts pool the buffer when it is freed. */
const SIZE = 1 << 16;

/** out[i] = -x[i] for i < stored; the rest of `out` is never written. */
function negatePrefix(stored: number): KernelProgram {
  const axis = { k: 'axis', axis: 0 } as const;
  return {
    irVersion: IR_VERSION,
    name: 'prefix',
    buffers: [
      { id: 0, dtype: 'float32', size: SIZE, kind: 'input' },
      { id: 1, dtype: 'float32', size: SIZE, kind: 'output' },
    ],
    kernels: [
      {
        name: 'k0',
        kind: 'elementwise',
        domain: [stored],
        exprs: [
          { op: 'load', dtype: 'float32', buffer: 0, index: axis },
          { op: 'unary', fn: 'neg', dtype: 'float32', a: 0 },
        ],
        stores: [{ buffer: 1, index: axis, value: 1 }],
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

/**
 * #24 item 3: an output a program does not fully write reads as zeros, never as the data of a
 * freed tensor whose memory the backend reused. Runs a program that writes all of an output (freed
 * afterwards), then one writing only its first half; returns a description of what is wrong.
 */
export async function checkPartialOutputsAreZero(backend: Backend): Promise<string | undefined> {
  const input = Float32Array.from({ length: SIZE }, (_, i) => i + 1);
  for (const stored of [SIZE, SIZE / 2]) {
    const exe = await backend.compile(negatePrefix(stored));
    try {
      const [out] = (await execute(backend, exe, negatePrefix(stored), [input])) as Float32Array[];
      if (out![stored - 1] !== -stored)
        return `element ${stored - 1} is ${out![stored - 1]}, expected ${-stored}`;
      const stale = out!.subarray(stored).findIndex((v) => v !== 0);
      if (stale >= 0)
        return `element ${stored + stale} was never written but reads ${out![stored + stale]}, not 0`;
    } finally {
      exe.dispose();
    }
  }
  return undefined;
}
