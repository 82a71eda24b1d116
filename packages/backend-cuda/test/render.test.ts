import { MalformedProgramError } from '@paradox/backend';
import { floatLiteral, intLiteral } from '@paradox/codegen-c';
import { GraphBuilder, type KernelProgram, unaryChainProgram, VerifyError } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';
import { renderCudaProgram, renderProgram } from '../src/index.js';
import { CUDA_DIALECT } from '../src/render/cuda_dialect.js';

// What the renderer promises about its text, independent of running it: literals, no IR strings
// in the source, 64-bit index math exactly when needed, and typed errors for malformed programs.
function lower(build: (b: GraphBuilder) => string): KernelProgram {
  const b = new GraphBuilder('f');
  return lowerGraph(b.output(build(b)).build());
}

describe('CUDA renderer', () => {
  it('formats float32 constants as shortest round-trip literals, NaN/Inf by bit pattern', () => {
    const f = (v: number): string => floatLiteral(v, CUDA_DIALECT);
    expect(f(0.1)).toBe('0.1f');
    expect(f(3)).toBe('3.0f');
    expect(f(-2.5)).toBe('(-2.5f)');
    expect(f(1e-7)).toBe('1.0e-7f');
    expect(f(3.4028234663852886e38)).toBe('3.4028235e+38f');
    expect(f(-0)).toBe('(-0.0f)');
    expect(f(Number.NaN)).toBe('__uint_as_float(0x7fc00000u)');
    expect(f(Number.POSITIVE_INFINITY)).toBe('__uint_as_float(0x7f800000u)');
    expect(f(Number.NEGATIVE_INFINITY)).toBe('__uint_as_float(0xff800000u)');
    for (const v of [0.1, 1 / 3, 123456.789, 1e-38, 1.4e-45])
      expect(Math.fround(Number.parseFloat(f(v)))).toBe(Math.fround(v));
    expect(intLiteral(-2147483648)).toBe('(-2147483647 - 1)');
    expect(() => intLiteral(2.5)).toThrow(MalformedProgramError);
  });

  it('never copies strings from the IR into the source', () => {
    const program = lower((b) => b.op('relu', [b.input('x', { dtype: 'float32', shape: [8] })]));
    const evil = '*/ } int main() { system("rm -rf /"); } /*';
    const tampered: KernelProgram = {
      ...program,
      name: evil,
      kernels: program.kernels.map((k) => ({ ...k, sourceNodes: [evil] })),
    };
    // A kernel name is checked before rendering (compiler-made names only), so it never gets there.
    const withEvilKernelName = { ...tampered, kernels: tampered.kernels.map((k) => ({ ...k, name: evil })) };
    expect(() => renderProgram(withEvilKernelName)).toThrow(VerifyError);
    expect(() => renderProgram(withEvilKernelName)).toThrow(/kernel names must be unique identifiers/);
    const source = renderProgram(tampered);
    expect(source).not.toContain('system');
    expect(source).toMatch(/void __launch_bounds__\(256\) k0\(/);
  });

  it('verifies what it renders: non-numeric constants and dangling references are VerifyErrors', () => {
    const program = lower((b) =>
      b.op('add', [
        b.input('x', { dtype: 'float32', shape: [4] }),
        b.input('y', { dtype: 'float32', shape: [4] }),
      ]),
    );
    const kernel = program.kernels[0]!;
    const withConst = (value: unknown): KernelProgram => ({
      ...program,
      kernels: [
        {
          ...kernel,
          exprs: [...kernel.exprs, { op: 'const', dtype: 'float32', value } as never],
          stores: [{ ...kernel.stores[0]!, value: kernel.exprs.length }],
        },
      ],
    });
    expect(() => renderProgram(withConst('1); evil('))).toThrow(VerifyError);
    expect(() => renderProgram(withConst('1); evil('))).toThrow(/e3\.value: must be a number/);
    const dangling: KernelProgram = {
      ...program,
      kernels: [{ ...kernel, stores: [{ ...kernel.stores[0]!, value: 99 }] }],
    };
    expect(() => renderProgram(dangling)).toThrow(/store 0: value e99 does not exist/);
    const badBuffer: KernelProgram = {
      ...program,
      kernels: [{ ...kernel, stores: [{ ...kernel.stores[0]!, buffer: 1234 }] }],
    };
    expect(() => renderProgram(badBuffer)).toThrow(/buffer b1234 is not declared/);
  });

  it('switches to 64-bit index math only for tensors beyond 2^31 elements', () => {
    const small = renderCudaProgram(
      lower((b) => b.op('neg', [b.input('x', { dtype: 'float32', shape: [1024, 1024] })])),
    );
    expect(small.kernels[0]!.source).not.toContain('long long');
    const huge = renderCudaProgram(
      lower((b) => b.op('not', [b.input('x', { dtype: 'bool', shape: [3, 2 ** 30] })])),
    );
    const source = huge.kernels[0]!.source;
    expect(source).toContain('// Paradox kernel k0: elementwise, domain [3,1073741824], 64-bit indices');
    expect(source).toContain(
      'for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < 3221225472LL;',
    );
  });

  it('picks a template per kernel shape', () => {
    const strategies = (p: KernelProgram, options = {}) =>
      renderCudaProgram(p, options).kernels.map((k) => k.strategy);
    const rowSums = lower((b) =>
      b.op('sum', [b.input('x', { dtype: 'float32', shape: [8, 4096] })], { axes: [1], keepdims: false }),
    );
    expect(strategies(rowSums)).toEqual(['block-reduce']);
    expect(strategies(rowSums, { reduceStrategy: 'serial' })).toEqual(['serial-reduce']);
    const manyShortRows = lower((b) =>
      b.op('max', [b.input('x', { dtype: 'float32', shape: [100000, 8] })], { axes: [1], keepdims: false }),
    );
    expect(strategies(manyShortRows)).toEqual(['serial-reduce']);
    const matmul = lower((b) =>
      b.op('matmul', [
        b.input('a', { dtype: 'float32', shape: [64, 32] }),
        b.input('w', { dtype: 'float32', shape: [32, 16] }),
      ]),
    );
    expect(strategies(matmul)).toEqual(['tiled-contraction']);
    expect(strategies(matmul, { tileContractions: false, reduceStrategy: 'block' })).toEqual([
      'block-reduce',
    ]);
  });

  it('renders every kernel of a program for --emit code, with its launch', () => {
    const program = lower((b) => {
      const x = b.input('x', { dtype: 'float32', shape: [4, 10] });
      const m = b.op('max', [x], { axes: [1], keepdims: true });
      return b.op('sub', [x, b.op('broadcast', [m], { shape: [4, 10] })]);
    });
    const text = renderProgram(program);
    expect(text.match(/extern "C" __global__/g)).toHaveLength(program.kernels.length);
    expect(text).toMatch(/\/\/ launch k0<<<dim3\(\d+, 1, 1\), dim3\(\d+, 1, 1\)>>>\(p0, p1\)/);
  });

  it('renders a 100,000-expr chain without deep recursion (#24 item 7)', () => {
    const source = renderCudaProgram(unaryChainProgram(100_000, ['neg', 'abs'])).kernels[0]!.source;
    expect(source).toContain('const float v100000 = fabsf(v99999);');
    expect(source).toContain('p1[a0] = v100000;');
    expect(source.match(/const float v\d+ =/g)).toHaveLength(100_001);
  });
});
