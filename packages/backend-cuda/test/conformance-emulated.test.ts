import { describeBackendConformance } from '@paradox/backend-conformance';
import { it } from 'vitest';
import { createEmulatedCudaBackend } from '../src/index.js';
import { findCxx } from '../src/toolchain.js';

// The backend conformance suite on the CUDA backend's generated source, run on the CPU through
// emu/cuda_emu.h (g++). The suite compiles its cases up front, so the emulated backend builds
// them in a few batched compiler runs. Its random-graph property compiles one program at a time
// (about a second of g++ each), so it runs a few graphs here; emulated-variants.test.ts checks
// 60 random graphs compiled as one batch.
if (findCxx()) {
  describeBackendConformance('cuda (CPU emulation)', () => createEmulatedCudaBackend(), {
    randomGraphRuns: 6,
  });
} else {
  it.skip('backend conformance: cuda (CPU emulation): needs g++, clang++ or PARADOX_CXX, none found', () => {});
}
