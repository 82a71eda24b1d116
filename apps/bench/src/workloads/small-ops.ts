import { uniform } from '../rng.js';
import type { Workload } from '../types.js';
import { evalChain64, makeChain } from './chain.js';

export const W3_OPS = 200;
export const W3_SIZE = 16;

export function smallOps(nOps = W3_OPS, size = W3_SIZE): Workload {
  const chain = makeChain(nOps, 3);
  return {
    id: 'W3',
    name: 'small-op overhead',
    description: `${nOps} chained elementwise ops on a [${size}] tensor; figure is time per op`,
    kind: 'run',
    inputs: [{ name: 'x', shape: [size] }],
    outputShape: [size],
    chain,
    makeInputs: () => [uniform(size, -2, 2, 31)],
    reference: ([x]) => evalChain64(chain, x!),
    tolerance: { atol: 1e-4, rtol: 1e-4 },
    bytes: 2 * 4 * size,
    flops: nOps * size,
    limit: 'none',
    perRun: nOps,
    figureSuffix: '/op',
  };
}
