import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interpret, parseGraph } from '@paradox/ir';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { sameBits, sampleInputs } from './sample-inputs.js';

/**
 * Golden tests of every pass package: `packages/passes/<pkg>/test/golden/<case>.pdx` is run
 * through paradox-opt's main (in-process) with `--pipeline <pkg> --verify`, or with the
 * arguments in `<case>.args`, and the output must equal `<case>.expected.pdx`. Each case also
 * checks that the reference interpreter gives the same bits on the input and on the output.
 * UPDATE_GOLDEN=1 rewrites the expected files (review the diff: it is the assertion).
 */
const passesDir = fileURLToPath(new URL('../../passes/', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';

const packages = readdirSync(passesDir).filter((pkg) => existsSync(join(passesDir, pkg, 'test', 'golden')));

describe.each(packages)('golden: %s', (pkg) => {
  const dir = join(passesDir, pkg, 'test', 'golden');
  const cases = readdirSync(dir)
    .filter((f) => f.endsWith('.pdx') && !f.endsWith('.expected.pdx'))
    .map((f) => basename(f, '.pdx'));

  it.each(cases)('%s', async (name) => {
    const input = join(dir, `${name}.pdx`);
    const argsFile = join(dir, `${name}.args`);
    const args = existsSync(argsFile)
      ? readFileSync(argsFile, 'utf8').trim().split(/\s+/)
      : ['--pipeline', pkg];
    const { code, stdout, stderr } = await runCli([input, ...args, '--verify']);
    expect(stderr).toBe('');
    expect(code).toBe(0);

    const expectedFile = join(dir, `${name}.expected.pdx`);
    if (update) writeFileSync(expectedFile, stdout);
    expect(stdout).toBe(readFileSync(expectedFile, 'utf8'));

    const before = parseGraph(readFileSync(input, 'utf8'));
    const after = parseGraph(stdout);
    for (const seed of [1, 2, 3]) {
      const inputs = sampleInputs(before, seed);
      const want = interpret(before, inputs);
      const got = interpret(after, inputs);
      expect(got.map((t) => t.shape)).toEqual(want.map((t) => t.shape));
      for (const [i, t] of got.entries()) expect(sameBits(t.data, want[i]!.data), `output ${i}`).toBe(true);
    }
  });
});
