import { BYTES_PER_ELEMENT, type KernelProgram } from '@paradox/ir';
import { JitError, JitLoadLimitError } from './errors.js';

/** Bounds on what a loaded program may allocate and compute, so a document cannot be a denial of service. */
export interface LoadLimits {
  /** Most bytes the program's buffers and memory slots may take together (default 1 GiB; `Infinity` lifts it). */
  maxBufferBytes?: number;
  /** Most loop iterations (domain points x reduction points) of any one kernel (default 2^34; `Infinity` lifts it). */
  maxKernelIterations?: number;
}

export const DEFAULT_MAX_BUFFER_BYTES = 2 ** 30;
export const DEFAULT_MAX_KERNEL_ITERATIONS = 2 ** 34;

function limit(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0)) {
    throw new JitError(`loadCompiled: ${name} must be a positive number (or Infinity), got ${String(value)}`);
  }
  return value;
}

const product = (dims: readonly number[]): number => dims.reduce((n, d) => n * d, 1);

/** Rejects a (verified) program that would allocate or compute more than `limits` allow. */
export function checkLoadLimits(program: KernelProgram, limits: LoadLimits): void {
  const maxBytes = limit(limits.maxBufferBytes, DEFAULT_MAX_BUFFER_BYTES, 'maxBufferBytes');
  const maxIterations = limit(
    limits.maxKernelIterations,
    DEFAULT_MAX_KERNEL_ITERATIONS,
    'maxKernelIterations',
  );
  let bytes = 0;
  for (const slot of program.slots) bytes += slot.bytes;
  // Temps live in the slots counted above; every other buffer is allocated on its own.
  for (const b of program.buffers) if (b.kind !== 'temp') bytes += b.size * BYTES_PER_ELEMENT[b.dtype];
  if (bytes > maxBytes) {
    throw new JitLoadLimitError('maxBufferBytes', bytes, maxBytes, 'its buffers and memory slots take');
  }
  for (const k of program.kernels) {
    const iterations = product(k.domain) * product(k.reduce?.shape ?? []);
    if (iterations > maxIterations) {
      throw new JitLoadLimitError('maxKernelIterations', iterations, maxIterations, `kernel ${k.name} runs`);
    }
  }
}
