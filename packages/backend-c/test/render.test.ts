import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '@paradox/cli';
import { GraphBuilder, type KernelProgram, unaryChainProgram, VerifyError } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCProgram } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'paradox-c-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('backend-c rendering', () => {
  it('paradox-opt --emit code --backend c prints the C program', async () => {
    const file = join(dir, 'in.pdx');
    writeFileSync(
      file,
      'graph @f(%x: f32[4], %b: f32[4]) {\n  %0: f32[4] = add %x, %b\n  %1: f32[4] = exp %0\n  return %1\n}\n',
    );
    let stdout = '';
    let stderr = '';
    const code = await main(
      [file, '--pipeline', 'fixpoint(dce,cse,fold),fusion', '--emit', 'code', '--backend', 'c'],
      {
        stdout: (t) => {
          stdout += t;
        },
        stderr: (t) => {
          stderr += t;
        },
      },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('void px_run(int threads, void* b0, void* b1, void* b2) {');
    expect(stdout).toMatch(/const float v\d+ = px_expf\(v\d+\);/);
  });

  it('never copies strings from the IR into the source', () => {
    const b = new GraphBuilder('f');
    const program = lowerGraph(
      b.output(b.op('relu', [b.input('x', { dtype: 'float32', shape: [8] })])).build(),
    );
    const evil = '*/ } int main() { system("rm -rf /"); } /*';
    const tampered: KernelProgram = {
      ...program,
      name: evil,
      kernels: program.kernels.map((k) => ({ ...k, sourceNodes: [evil] })),
    };
    // A kernel name is checked before rendering (compiler-made names only), so it never gets there.
    const withEvilKernelName = { ...tampered, kernels: tampered.kernels.map((k) => ({ ...k, name: evil })) };
    expect(() => renderCProgram(withEvilKernelName)).toThrow(VerifyError);
    expect(() => renderCProgram(withEvilKernelName)).toThrow(/kernel names must be unique identifiers/);
    const { source } = renderCProgram(tampered);
    expect(source).not.toContain('system');
    expect(source).toContain('static void k0(const float* restrict p0, float* restrict p1)');
  });

  it('renders float32 matmul as the packed micro-kernel, other dtypes as reductions', () => {
    const matmul = (dtype: 'float32' | 'int32', k = 7) => {
      const b = new GraphBuilder('mm');
      const a = b.input('a', { dtype, shape: [10, k] });
      const w = b.input('w', { dtype, shape: [k, 5] });
      return lowerGraph(b.output(b.op('matmul', [a, w])).build());
    };
    expect(renderCProgram(matmul('float32')).strategies).toEqual(['matmul']);
    // K = 7 is a small window (folded per output in vector lanes); K = 40 the generic reduction.
    expect(renderCProgram(matmul('int32')).strategies).toEqual(['window']);
    expect(renderCProgram(matmul('int32', 40)).strategies).toEqual(['reduce']);
    expect(renderCProgram(matmul('float32'), { tileContractions: false }).strategies).toEqual(['window']);
  });

  it('forks threads for a reduction by the work per point, weighed with the registry op costs', () => {
    const rowSums = (costly: boolean) => {
      const b = new GraphBuilder('rows');
      const x = b.input('x', { dtype: 'float32', shape: [128, 1024] });
      const v = costly ? b.op('sigmoid', [x]) : x;
      return lowerGraph(b.output(b.op('sum', [v], { axes: [1], keepdims: false })).build());
    };
    const parallel = /#pragma omp parallel for/;
    // 131,072 points: a load and an add each are too little to wake a second thread; with sigmoid
    // (registry cost 5) evaluated at every point they are worth it.
    expect(renderCProgram(rowSums(false)).source).not.toMatch(parallel);
    expect(renderCProgram(rowSums(true)).source).toMatch(parallel);
  });

  it('renders a 100,000-expr chain without deep recursion', () => {
    // neg, exp alternating: expr i is exp when i is even.
    const program = unaryChainProgram(100_000, ['neg', 'exp']);
    const { source } = renderCProgram(program);
    expect(source).toContain('const float v100000 = px_expf(v99999);');
    expect(source.match(/const float v\d+ =/g)).toHaveLength(100_001);
  });
});
