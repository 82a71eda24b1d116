import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Outcome } from './run-case.js';

export const EXPECTATIONS_PATH = new URL('../expectations.json', import.meta.url);

/**
 * The committed expectation for every test: pass, unsupported (the op) or known failure (the reason),
 * on 'js'; `backends` lists the sampled tests that pass on js but are known to fail on another backend.
 */
export interface Expectations {
  cases: Record<string, Outcome>;
  backends: Record<string, Record<string, string>>;
}

export function readExpectations(): Expectations {
  return JSON.parse(readFileSync(EXPECTATIONS_PATH, 'utf8')) as Expectations;
}

export function writeExpectations(e: Expectations): void {
  const sorted = Object.fromEntries(Object.entries(e.cases).sort(([a], [b]) => (a < b ? -1 : 1)));
  writeFileSync(EXPECTATIONS_PATH, `${JSON.stringify({ cases: sorted, backends: e.backends }, null, 2)}\n`);
  // The repository's formatter has the last word on layout, so `npm run lint` stays clean.
  spawnSync('npx', ['biome', 'format', '--write', fileURLToPath(EXPECTATIONS_PATH)], { stdio: 'ignore' });
}

/** Why `actual` deviates from `expected` (status, or the unsupported op), or undefined when it matches. */
export function deviation(expected: Outcome | undefined, actual: Outcome): string | undefined {
  const describe = (o: Outcome) =>
    o.status === 'pass'
      ? 'pass'
      : o.status === 'unsupported'
        ? `unsupported (${o.op})`
        : `fail (${o.reason})`;
  if (!expected)
    return `not in expectations.json; now ${describe(actual)} (run npm run onnx-suite -- --write)`;
  const same =
    expected.status === actual.status &&
    (expected.status !== 'unsupported' || expected.op === (actual as { op: string }).op);
  return same ? undefined : `expected ${describe(expected)}, got ${describe(actual)}`;
}

/** Every `every`-th test expected to pass on js: the sample another backend runs. */
export function sample(e: Expectations, every: number): string[] {
  return Object.keys(e.cases)
    .filter((k) => e.cases[k]!.status === 'pass')
    .filter((_, i) => i % every === 0);
}
