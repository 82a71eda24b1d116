import { describeBackendConformance } from '@paradox/backend-conformance';
import { it } from 'vitest';
import { createCBackend } from '../src/index.js';

// The backend conformance suite on 'c' with 1 and 2 OpenMP threads. Both suites compile the same
// programs (the thread count is a run-time argument), so the second one loads every shared object
// from the in-process cache; a warm disk cache ($XDG_CACHE_HOME/paradox) spares the compiler too.
const probe = createCBackend();
if (probe.unavailableReason === undefined) {
  for (const threads of [1, 2]) {
    describeBackendConformance(`c (${threads} thread${threads > 1 ? 's' : ''})`, () =>
      createCBackend({ threads }),
    );
  }
} else {
  it.skip(`backend conformance: c: ${probe.unavailableReason}`, () => {});
}
