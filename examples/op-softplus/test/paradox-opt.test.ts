import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_OK, main } from '@paradox/cli';
import { interpret, parseGraph } from '@paradox/ir';
import { afterAll, expect, it } from 'vitest';

// paradox-opt knows softplus only once --load imports this package (which registers it); code for
// a backend is generated from its decomposition.
const dir = mkdtempSync(join(tmpdir(), 'op-softplus-'));
const input = join(dir, 'softplus.pdx');
writeFileSync(
  input,
  'graph @f(%x: f32[4]) {\n  %0: f32[4] = softplus %x\n  %1: f32[4] = mul %0, %x\n  return %1\n}\n',
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function paradoxOpt(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

it('rejects the op without --load, naming it', async () => {
  const r = await paradoxOpt(input);
  expect(r.code).not.toBe(EXIT_OK);
  expect(r.stderr).toMatch(/unknown op 'softplus'/);
});

it('loads the package: runs the pipeline over the op and emits code from its decomposition', async () => {
  const ir = await paradoxOpt(input, '--load', '@paradox/example-op-softplus', '--pipeline', 'default');
  expect(ir.stderr).toBe('');
  expect(ir.stdout).toMatch(/= softplus %x #g0/);
  const data = Float32Array.from([-3, 0, 0.5, 4]);
  const [out] = interpret(parseGraph(ir.stdout), [{ dtype: 'float32', shape: [4], data }]);
  Array.from(data).forEach((x, i) => {
    expect(out!.data[i]).toBeCloseTo(Math.log(1 + Math.exp(x)) * x, 5);
  });

  const code = await paradoxOpt(
    input,
    '--load',
    '@paradox/example-op-softplus',
    '--backend',
    'js',
    '--emit',
    'code',
  );
  expect(code.code).toBe(EXIT_OK);
  expect(code.stdout).toMatch(/rt\.exp32|Math\.exp/);
  expect(code.stdout).toMatch(/Math\.log/);
});
