/**
 * A sample of ONNX's backend tests that pass on 'js' (test/expectations.json), on each other backend
 * present: wasm, c, wgsl on SwiftShader and the CUDA CPU emulation (sampling rates in
 * suite/backends.ts). A backend's known failures are listed under `backends` in the expectations.
 */
import { describe, expect, it } from 'vitest';
import { sampledBackends } from './suite/backends.js';
import { caseKey, listCases, testDataPresent } from './suite/cases.js';
import { readExpectations, sample } from './suite/expectations.js';
import { runCase } from './suite/run-case.js';

if (testDataPresent()) {
  const expected = readExpectations();
  const byKey = new Map(listCases().map((c) => [caseKey(c), c]));
  for (const backend of await sampledBackends()) {
    describe(`ONNX backend tests on ${backend.name} (every ${backend.every}th test passing on js)`, () => {
      const knownFailures = expected.backends[backend.name] ?? {};
      for (const key of sample(expected, backend.every)) {
        it(key, async () => {
          const outcome = await runCase(byKey.get(key)!, backend.name);
          const wanted = knownFailures[key] === undefined ? 'pass' : 'fail';
          expect(outcome.status, outcome.status === 'fail' ? outcome.reason : '').toBe(wanted);
        });
      }
    });
  }
}
