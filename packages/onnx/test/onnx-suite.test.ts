/**
 * ONNX's own backend test data (Debian's libonnx-testdata, ONNX 1.12) against
 * test/expectations.json: every test on 'js', and a sample of the tests passing on js on each other
 * backend present (wasm, c, wgsl on SwiftShader, the CUDA CPU emulation). A regression, a newly
 * passing test not recorded, or a test missing from the file fails. Values are compared with
 * ONNX's tolerances against the outputs ONNX ships (output_*.pb).
 */
import { describe, expect, it } from 'vitest';
import { sampledBackends } from './suite/backends.js';
import { caseKey, listCases, TESTDATA_ROOT, testDataPresent } from './suite/cases.js';
import { deviation, readExpectations, sample } from './suite/expectations.js';
import { runCase } from './suite/run-case.js';

const present = testDataPresent();

it('has the ONNX backend test data installed (scripts/setup.sh installs libonnx-testdata)', () => {
  expect(present, `no test data at ${TESTDATA_ROOT}`).toBe(true);
});

if (present) {
  const expected = readExpectations();
  const cases = listCases();
  const byKey = new Map(cases.map((c) => [caseKey(c), c]));

  describe('ONNX backend tests on js', () => {
    it('expectations.json lists exactly the installed tests', () => {
      expect(Object.keys(expected.cases).sort()).toEqual([...byKey.keys()].sort());
    });
    for (const c of cases) {
      it(caseKey(c), async () => {
        expect(deviation(expected.cases[caseKey(c)], await runCase(c, 'js'))).toBeUndefined();
      });
    }
  });

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
