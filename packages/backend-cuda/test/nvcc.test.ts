import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GraphBuilder, type KernelProgram } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { afterAll, describe, expect, it } from 'vitest';
import { type RenderOptions, renderCudaProgram } from '../src/index.js';
import { findNvcc } from '../src/toolchain.js';
import { FIXTURES, removeScratchDirs, scratchDir } from './helpers.js';
import { conformancePrograms, randomPrograms } from './programs.js';

// Every kernel the renderer produces for the conformance programs (each reduction strategy, the
// untiled contraction fallback, forced 64-bit indices) and for random graphs compiles to PTX with
// nvcc, warnings as errors, for Hopper (sm_90) and Turing (sm_75). One nvcc run per architecture
// compiles them all (each kernel in its own namespace); a few programs also compile in their
// exact NVRTC form (extern "C", one translation unit per kernel).
const nvcc = findNvcc();
afterAll(removeScratchDirs);
const ARCHS = ['sm_90', 'sm_75'];
const VARIANTS: RenderOptions[] = [
  {},
  { reduceStrategy: 'serial' },
  { reduceStrategy: 'block' },
  { tileContractions: false, reduceStrategy: 'block' },
  { forceWideIndices: true },
];

const run = promisify(execFile);

async function ptx(source: string, arch: string, dir: string, name: string): Promise<string> {
  const file = join(dir, `${name}.cu`);
  const out = join(dir, `${name}.${arch}.ptx`);
  writeFileSync(file, source);
  try {
    await run(nvcc!.path, ['-ptx', `-arch=${arch}`, '-Werror', 'all-warnings', file, '-o', out], {
      maxBuffer: 64 << 20,
    });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`nvcc -arch=${arch} failed on ${file}:\n${e.stderr || e.message}`);
  }
  return readFileSync(out, 'utf8');
}

/** Programs over tensors beyond 2^31 elements (rendered only; nothing is allocated). */
function hugePrograms(): KernelProgram[] {
  const lower = (build: (b: GraphBuilder) => string): KernelProgram => {
    const b = new GraphBuilder('huge');
    return lowerGraph(b.output(build(b)).build());
  };
  return [
    lower((b) => b.op('not', [b.input('x', { dtype: 'bool', shape: [3, 2 ** 30] })])),
    lower((b) =>
      b.op('sum', [b.input('x', { dtype: 'bool', shape: [2 ** 31 + 10] })], { axes: [0], keepdims: false }),
    ),
    lower((b) =>
      b.op('matmul', [
        b.input('a', { dtype: 'float32', shape: [65536, 8] }),
        b.input('w', { dtype: 'float32', shape: [8, 65536] }),
      ]),
    ),
  ];
}

/** Distinct kernel sources of `programs` under every variant, each wrapped in its own namespace. */
function namespacedKernels(programs: KernelProgram[]): string[] {
  const seen = new Set<string>();
  for (const program of programs) {
    for (const options of VARIANTS) {
      for (const k of renderCudaProgram(program, { ...options, externC: false }).kernels) seen.add(k.source);
    }
  }
  return [...seen].map((source, i) => `namespace kernel${i} {\n${source}}  // namespace kernel${i}\n`);
}

describe.skipIf(!nvcc)('generated CUDA C compiles with nvcc -Werror all-warnings', () => {
  const dir = scratchDir('nvcc');

  it('the emulation self-test kernels (hand-written fixtures)', async () => {
    const source = ['block_reduce.cu', 'warp_ops.cu']
      .map((f) => readFileSync(join(FIXTURES, f), 'utf8'))
      .join('\n');
    const results = await Promise.all(ARCHS.map((arch) => ptx(source, arch, dir, 'fixtures')));
    for (const text of results) expect(text.match(/\.entry /g)).toHaveLength(6);
  });

  it('every kernel of every conformance program, 40 random graphs and 3 beyond 2^31 elements, both architectures', async () => {
    const programs = [...conformancePrograms(), ...randomPrograms(40, 4242)].map((p) => p.program);
    programs.push(...hugePrograms());
    const kernels = namespacedKernels(programs);
    expect(kernels.length).toBeGreaterThan(300);
    const results = await Promise.all(ARCHS.map((arch) => ptx(kernels.join('\n'), arch, dir, 'all')));
    for (const text of results) expect(text.match(/\.entry /g)).toHaveLength(kernels.length);
  }, 240_000);

  it('programs in their exact NVRTC form (extern "C", one unit per kernel)', async () => {
    const wanted = ['fusion/softmax', 'fusion/relu-matmul-bias'];
    const programs = conformancePrograms().filter((p) => wanted.includes(p.name));
    expect(programs).toHaveLength(wanted.length);
    const jobs = programs.flatMap((p, i) =>
      renderCudaProgram(p.program).kernels.flatMap((k) =>
        ARCHS.map(async (arch) => {
          const text = await ptx(k.source, arch, dir, `exact${i}_${k.name}`);
          expect(text).toContain(`.entry ${k.name}(`);
        }),
      ),
    );
    await Promise.all(jobs);
  }, 240_000);
});

if (!nvcc) it.skip('nvcc checks: nvcc not found (install the CUDA toolkit or set PARADOX_NVCC)', () => {});
