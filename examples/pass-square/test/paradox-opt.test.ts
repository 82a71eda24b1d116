import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT_INPUT_ERROR, EXIT_OK, main } from '@paradox/cli';
import { interpret, parseGraph } from '@paradox/ir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SQUARE = `graph @square(%x: f32[4]) {
  %0: f32[] = constant {value=2, dtype="float32"}
  %1: f32[4] = broadcast %0 {shape=[4]}
  %2: f32[4] = pow %x, %1
  return %2
}
`;

async function run(argv: string[]) {
  const out = { stdout: '', stderr: '' };
  const code = await main(argv, {
    stdout: (t) => {
      out.stdout += t;
    },
    stderr: (t) => {
      out.stderr += t;
    },
  });
  return { code, ...out };
}

let dir: string;
let input: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pass-square-'));
  input = join(dir, 'square.pdx');
  writeFileSync(input, SQUARE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('paradox-opt --load @paradox/example-pass-square', () => {
  it('needs the package loaded to know the pass', async () => {
    const r = await run([input, '--pipeline', 'default', '--insert', 'after:cse=pow2-to-mul']);
    expect(r.code).toBe(EXIT_INPUT_ERROR);
    expect(r.stderr).toMatch(/unknown pass 'pow2-to-mul'/);
  });

  it('loads it by package name and inserts it into the default pipeline', async () => {
    const r = await run([
      input,
      '--load',
      '@paradox/example-pass-square',
      '--pipeline',
      'default',
      '--insert',
      'after:cse=pow2-to-mul',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toBe('graph @square(%x: f32[4]) {\n  %2: f32[4] = mul %x, %x #g0\n  return %2\n}\n');
    const data = Float32Array.from([1.5, -2, 0, 7]);
    const [out] = interpret(parseGraph(r.stdout), [{ dtype: 'float32', shape: [4], data }]);
    expect(Array.from(out!.data)).toEqual([2.25, 4, 0, 49]);
  });

  it('loads it by module path, and runs it as a pipeline of its own', async () => {
    const path = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const r = await run([input, '--load', path, '--pipeline', 'pow2-to-mul,dce']);
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toBe('graph @square(%x: f32[4]) {\n  %2: f32[4] = mul %x, %x\n  return %2\n}\n');
  });
});
