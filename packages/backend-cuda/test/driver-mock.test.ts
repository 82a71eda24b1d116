import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BufferMismatchError } from '@paradox/backend';
import { checkAgainstReference } from '@paradox/backend-conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CudaBackend,
  CudaCompileError,
  CudaDriverError,
  createCudaBackend,
  EMU_INCLUDE_DIR,
  Nvrtc,
} from '../src/index.js';
import { findCxx } from '../src/toolchain.js';
import { FIXTURES, removeScratchDirs, scratchDir } from './helpers.js';
import { conformancePrograms } from './programs.js';

// The real backend's driver path (koffi bindings of libcuda and NVRTC, launch-argument
// marshalling, memory plan, module cache) against stand-in libraries that run on the CPU:
// libcuda_mock keeps device memory in host memory and checks every access against live
// allocations; libnvrtc_mock compiles each kernel source with g++ and cuda_emu.h into a shared
// object that the mock driver loads and launches. Values are compared with the reference.
const cxx = findCxx();

// Few cases (one g++ run per kernel), chosen to cover: two kernels and a temporary, the tiled
// contraction with its epilogue, constants, random, bool buffers, and empty buffers/launches.
const CASES = [
  'fusion/softmax',
  'fusion/relu-matmul-bias',
  'creation/graph-constant',
  'creation/random',
  'reduce/bool-max-min',
  'edge/empty-reduce',
];

describe.skipIf(!cxx)('CUDA driver path on mock libcuda + libnvrtc', () => {
  const dir = scratchDir('driver-mock');
  const libcuda = join(dir, 'libcuda_mock.so');
  const libnvrtc = join(dir, 'libnvrtc_mock.so');
  let backend: CudaBackend;
  let mock: { launches(): number; liveAllocations(): number };
  const saved = { ...process.env };

  beforeAll(() => {
    for (const [src, out] of [
      ['libcuda_mock.cpp', libcuda],
      ['libnvrtc_mock.cpp', libnvrtc],
    ] as const) {
      execFileSync(cxx!.path, [
        '-std=c++17',
        '-O1',
        '-shared',
        '-fPIC',
        '-Wall',
        '-Werror',
        join(FIXTURES, 'mock_cuda', src),
        '-o',
        out,
        '-ldl',
      ]);
    }
    process.env.PARADOX_MOCK_EMU_INCLUDE = EMU_INCLUDE_DIR;
    process.env.PARADOX_MOCK_CXX = cxx!.path;
    process.env.PARADOX_MOCK_TMP = dir;
    backend = createCudaBackend({ name: 'cuda-mock', libcuda, nvrtc: libnvrtc });
    const koffi = createRequire(import.meta.url)('koffi');
    const lib = koffi.load(libcuda);
    mock = {
      launches: lib.func('int paradox_mock_launches()'),
      liveAllocations: lib.func('long long paradox_mock_live_allocations()'),
    };
  });

  afterAll(() => {
    process.env = saved;
    removeScratchDirs();
  });

  it('opens the device through the driver API', () => {
    expect(backend.device.name).toBe('Paradox mock device (CPU emulation)');
    expect(backend.device.computeCapability).toEqual({ major: 9, minor: 0 });
    expect(backend.device.arch).toBe(90);
  });

  const programs = conformancePrograms().filter((p) => CASES.includes(p.name));
  it('finds every selected conformance case', () =>
    expect(programs.map((p) => p.name).sort()).toEqual([...CASES].sort()));

  for (const p of programs) {
    it(`runs ${p.name} and matches the reference interpreter`, async () => {
      const before = mock.launches();
      const exe = backend.compile(p.program);
      try {
        await checkAgainstReference(backend, exe, p.graph, p.program, p.inputs, {
          tolerance: { rtol: 1e-4, atol: 1e-4, ...p.tolerance },
        });
      } finally {
        exe.dispose();
      }
      const nonEmpty = p.program.kernels.filter((k) => k.domain.every((d) => d > 0)).length;
      expect(mock.launches() - before).toBe(nonEmpty);
    }, 120_000);
  }

  it('compiles a kernel once and reuses it for an identical program', () => {
    const p = programs.find((x) => x.name === 'fusion/softmax')!;
    const loaded = backend.loadedKernels;
    backend.compile(p.program).dispose();
    expect(backend.loadedKernels).toBe(loaded);
  });

  it('frees everything it allocated: executables on dispose, buffers on free', () => {
    expect(mock.liveAllocations()).toBe(0);
  });

  it('reports driver failures as CudaDriverError with the driver error name', () => {
    let error: unknown;
    try {
      backend.device.download(0x1234n, new Float32Array(4));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CudaDriverError);
    expect((error as CudaDriverError).message).toMatch(
      /cuMemcpyDtoH failed with CUDA_ERROR_ILLEGAL_ADDRESS \(700\)/,
    );
  });

  it('rejects buffers of another backend and use after free', () => {
    const b = backend.allocate('float32', 4);
    backend.upload(b, new Float32Array([1, 2, 3, 4]));
    expect(Array.from(backend.download(b) as Float32Array)).toEqual([1, 2, 3, 4]);
    expect(() => backend.upload(b, new Int32Array(4))).toThrow(BufferMismatchError);
    backend.free(b);
    expect(() => backend.download(b)).toThrow(BufferMismatchError);
    expect(mock.liveAllocations()).toBe(0);
  });

  it('targets a cubin for a supported architecture and PTX of the newest known one otherwise', () => {
    const nvrtc = new Nvrtc(libnvrtc);
    expect(nvrtc.supportedArchs()).toEqual([75, 80, 86, 89, 90]);
    const source =
      'extern "C" __global__ void __launch_bounds__(32) k0(float* p0) { p0[threadIdx.x] = 1.0f; }\n';
    expect(nvrtc.compile(source, 90).kind).toBe('cubin');
    expect(nvrtc.compile(source, 120).kind).toBe('ptx');
  });

  it('surfaces NVRTC compile errors with the log and the numbered source', () => {
    const nvrtc = new Nvrtc(libnvrtc);
    expect(nvrtc.version.major).toBe(13);
    let error: unknown;
    try {
      nvrtc.compile(
        'extern "C" __global__ void __launch_bounds__(32) broken(float* p) { p[0] = undefined_name; }\n',
        90,
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CudaCompileError);
    expect((error as CudaCompileError).log).toMatch(/undefined_name/);
    expect((error as CudaCompileError).message).toMatch(/ {3}1 {2}extern "C"/);
  });
});

if (!cxx)
  it.skip('CUDA driver path on mocks: needs a C++ compiler (g++, clang++ or PARADOX_CXX), none found', () => {});
