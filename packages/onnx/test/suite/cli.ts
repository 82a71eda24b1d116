/**
 * `npm run onnx-suite`: runs ONNX's backend test data on 'js' and prints pass counts per suite and
 * per op, and every deviation from test/expectations.json. `--write` rewrites the expectations
 * (keeping the per-backend lists); `--filter text` runs only the tests whose key contains it.
 */
import { caseKey, listCases, SUITES, TESTDATA_ROOT, testDataPresent } from './cases.js';
import { deviation, type Expectations, readExpectations, writeExpectations } from './expectations.js';
import { type Outcome, runCase } from './run-case.js';
import './backends.js';

const args = process.argv.slice(2);
const write = args.includes('--write');
const filterAt = args.indexOf('--filter');
const filter = filterAt >= 0 ? (args[filterAt + 1] ?? '') : '';

if (!testDataPresent()) {
  console.error(`no test data at ${TESTDATA_ROOT}: apt-get install libonnx-testdata (scripts/setup.sh does)`);
  process.exit(1);
}
let expected: Expectations;
try {
  expected = readExpectations();
} catch {
  expected = { cases: {}, backends: {} };
}
const results = new Map<string, Outcome>();
const started = Date.now();
for (const c of listCases()) {
  if (!caseKey(c).includes(filter)) continue;
  results.set(caseKey(c), await runCase(c, 'js'));
}
const seconds = (Date.now() - started) / 1000;

for (const suite of SUITES) {
  const mine = [...results].filter(([k]) => k.startsWith(`${suite}/`));
  const count = (s: string) => mine.filter(([, o]) => o.status === s).length;
  if (mine.length === 0) continue;
  console.log(
    `${suite.padEnd(18)} ${String(count('pass')).padStart(4)} / ${String(mine.length).padEnd(4)} pass ` +
      `(${((100 * count('pass')) / mine.length).toFixed(1)}%), ${count('unsupported')} unsupported, ${count('fail')} known failures`,
  );
}
const byOp = new Map<string, number>();
for (const o of results.values()) if (o.status === 'unsupported') byOp.set(o.op, (byOp.get(o.op) ?? 0) + 1);
console.log(
  `\nunsupported, by op: ${[...byOp]
    .sort((a, b) => b[1] - a[1])
    .map(([op, n]) => `${op} ${n}`)
    .join(', ')}`,
);
console.log(`\nfailures:`);
for (const [k, o] of results) if (o.status === 'fail') console.log(`  ${k}: ${o.reason}`);
const deviations = [...results].flatMap(([k, o]) => {
  const d = deviation(expected.cases[k], o);
  return d ? [`  ${k}: ${d}`] : [];
});
console.log(
  `\n${results.size} tests on js in ${seconds.toFixed(1)} s; ${deviations.length} deviation(s) from expectations.json`,
);
for (const d of deviations) console.log(d);
if (write) {
  for (const [k, o] of results) expected.cases[k] = o;
  writeExpectations(expected);
  console.log('expectations.json rewritten');
}
