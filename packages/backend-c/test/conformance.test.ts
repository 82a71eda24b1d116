import { availableParallelism } from 'node:os';
import {
  conformanceCases,
  describeBackendConformance,
  missingCapabilities,
} from '@paradox/backend-conformance';
import { lowerGraph } from '@paradox/pass-lower';
import { it } from 'vitest';
import { type CBackend, compileQueue, createCBackend } from '../src/index.js';

// The backend conformance suite on 'c' with 1 and 2 OpenMP threads. Both suites compile the same
// programs (the thread count is a run-time argument), so the second one loads every shared object
// from the in-process cache; a warm disk cache ($XDG_CACHE_HOME/paradox) spares the compiler too.
// The first builds every case's program ahead with compileMany (the suite's own compile() calls then
// load them): this worker only waits on those compiles, so they may use every core.
const probe = createCBackend();
if (probe.unavailableReason === undefined) {
  let built: Promise<void> | undefined;
  const buildAhead = async (c: CBackend) => {
    const programs = Object.values(conformanceCases())
      .flat()
      .filter((k) => !missingCapabilities(c, k.graph))
      .map((k) => lowerGraph(k.graph));
    const limit = compileQueue.limit;
    compileQueue.limit = Math.max(limit, availableParallelism());
    try {
      for (const exe of await c.compileMany(programs)) exe.dispose();
    } catch {
      // A program that fails fails its own case below (the suite compiles each case again).
    } finally {
      compileQueue.limit = limit;
    }
  };
  for (const threads of [1, 2]) {
    describeBackendConformance(`c (${threads} thread${threads > 1 ? 's' : ''})`, async () => {
      const c = createCBackend({ threads });
      built ??= buildAhead(c);
      await built;
      return c;
    });
  }
} else {
  it.skip(`backend conformance: c: ${probe.unavailableReason}`, () => {});
}
