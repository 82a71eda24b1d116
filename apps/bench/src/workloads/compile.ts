import { uniform } from '../rng.js';
import type { Workload } from '../types.js';
import { evalChain64, makeChain } from './chain.js';

export const W5_OPS = 1000;
export const W5_SIZE = 16;

/**
 * W5: trace + optimize + codegen of a 1,000-op graph. Warm cache: a fresh wrapper around the same graph
 * (whatever cache the framework keeps below the wrapper may hit). Cold cache: a graph never seen before
 * (same size, other ops and constants) for every sample.
 */
export function compileTime(nOps = W5_OPS, size = W5_SIZE): Workload {
  const chain = makeChain(nOps, 5);
  return {
    id: 'W5',
    name: 'compile time',
    description: `trace + optimize + codegen (+ first run) of a ${nOps.toLocaleString('en-US')}-op elementwise graph on [${size}]`,
    kind: 'compile',
    inputs: [{ name: 'x', shape: [size] }],
    outputShape: [size],
    chain,
    chainVariant: (k) => makeChain(nOps, 1000 + k),
    makeInputs: () => [uniform(size, -2, 2, 51)],
    reference: ([x], ops) => evalChain64(ops ?? chain, x!),
    tolerance: { atol: 1e-4, rtol: 1e-4 },
    bytes: 0,
    flops: 0,
    limit: 'none',
    perRun: 1,
  };
}
