import { describe, expect, it } from 'vitest';
import { createCBackend } from '../src/index.js';
import { runW1Child } from './helpers.js';

// After a 2-thread run, the OpenMP worker must sleep, not spin: the backend sets
// OMP_WAIT_POLICY=passive before libgomp loads, with a short GOMP_SPINCOUNT (a few thousand spins
// before the first sleep). The same child with the policy forced to 'active' shows what spinning
// costs, so the measurement itself is checked.
const available = createCBackend().unavailableReason === undefined;

describe.skipIf(!available || process.platform !== 'linux')('backend-c threads', () => {
  it('leaves no thread spinning between runs', async () => {
    // After the run the child's main thread spins for 500 ms of CPU time, and the workers' CPU
    // time meanwhile is measured against it: a loaded machine slows both alike, so a spinning
    // worker keeps up with the main thread (about 1:1) and a sleeping one gets nothing.
    const env = {
      W1_THREADS: '2',
      W1_SIZE: String(1 << 22),
      W1_IDLE_CPU_MS: '500',
      OMP_WAIT_POLICY: undefined,
      GOMP_SPINCOUNT: undefined,
    };
    const quiet = await runW1Child(env);
    expect(quiet.maxError).toBeLessThan(1e-5);
    const spinning = await runW1Child({ ...env, OMP_WAIT_POLICY: 'active' });
    expect(spinning.maxError).toBeLessThan(1e-5);
    for (const r of [quiet, spinning]) expect(r.mainCpuMs).toBeGreaterThanOrEqual(500);
    expect(spinning.idleCpuMs).toBeGreaterThanOrEqual(0.5 * spinning.mainCpuMs);
    expect(quiet.idleCpuMs).toBeLessThanOrEqual(20);
  });
});
