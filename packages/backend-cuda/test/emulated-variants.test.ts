import type { Executable } from '@paradox/backend';
import { checkAgainstReference, DEFAULT_TOLERANCE } from '@paradox/backend-conformance';
import { beforeAll, describe, it } from 'vitest';
import { createEmulatedCudaBackend, type EmulatedCudaBackend, type RenderOptions } from '../src/index.js';
import { findCxx } from '../src/toolchain.js';
import { conformancePrograms, randomPrograms, type TestProgram } from './programs.js';

// The templates the conformance suite's default choices do not reach, run on the CPU emulation
// and compared with the reference interpreter: every reduction as a serial loop and as a block
// reduction, contractions through the generic reduction templates, 64-bit index math, and 60
// random graphs. Each variant compiles all its programs in one batch.
const cxx = findCxx();

const hasReduce = (p: TestProgram): boolean => p.program.kernels.some((k) => k.reduce !== undefined);
const hasContraction = (p: TestProgram): boolean => p.program.kernels.some((k) => k.kind === 'contraction');

interface Variant {
  name: string;
  options: RenderOptions;
  programs: () => TestProgram[];
}

const VARIANTS: Variant[] = [
  {
    name: 'serial reductions',
    options: { reduceStrategy: 'serial' },
    programs: () => conformancePrograms().filter(hasReduce),
  },
  {
    name: 'block reductions',
    options: { reduceStrategy: 'block' },
    programs: () => conformancePrograms().filter(hasReduce),
  },
  {
    name: 'untiled contractions',
    options: { tileContractions: false, reduceStrategy: 'block' },
    programs: () => conformancePrograms().filter(hasContraction),
  },
  {
    name: '64-bit indices',
    options: { forceWideIndices: true },
    programs: () =>
      conformancePrograms().filter((p) => !p.name.startsWith('binary/') && !p.name.startsWith('unary/')),
  },
  { name: 'random graphs', options: {}, programs: () => randomPrograms(60, 20240601) },
];

for (const variant of VARIANTS) {
  describe.skipIf(!cxx)(`CUDA emulation: ${variant.name}`, () => {
    const programs = variant.programs();
    let backend: EmulatedCudaBackend;
    const compiled = new Map<TestProgram, Promise<Executable>>();

    beforeAll(() => {
      backend = createEmulatedCudaBackend({ render: variant.options });
      for (const p of programs) {
        const exe = backend.compile(p.program);
        exe.catch(() => {});
        compiled.set(p, exe);
      }
    });

    for (const p of programs) {
      it(p.name, async () => {
        const exe = await compiled.get(p)!;
        await checkAgainstReference(backend, exe, p.graph, p.program, p.inputs, {
          tolerance: { ...DEFAULT_TOLERANCE, rtol: 1e-4, atol: 1e-4, ...p.tolerance },
        });
      });
    }
  });
}

if (!cxx)
  it.skip('CUDA emulation variants: needs a C++ compiler (g++, clang++ or PARADOX_CXX), none found', () => {});
