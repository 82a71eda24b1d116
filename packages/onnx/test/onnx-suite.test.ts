/**
 * ONNX's own backend test data (Debian's libonnx-testdata, ONNX 1.12) against
 * test/expectations.json: every test on 'js' (the other backends run a sample, in
 * onnx-suite-backends.test.ts). A regression, a newly passing test not recorded, or a test missing
 * from the file fails. Values are compared with ONNX's tolerances against the outputs ONNX ships
 * (output_*.pb).
 */
import '@paradox/backend-js';
import '@paradox/jit';
import { describe, expect, it } from 'vitest';
import { caseKey, listCases, TESTDATA_ROOT, testDataPresent } from './suite/cases.js';
import { deviation, readExpectations } from './suite/expectations.js';
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
}
