import { describeBackendConformance } from '@paradox/backend-conformance';
import { createWasmBackend } from '@paradox/backend-wasm';

describeBackendConformance('wasm', () => createWasmBackend());
// The scalar path (no SIMD128; exp/log/tanh via JS helpers) must agree too: engines without SIMD run it.
describeBackendConformance('wasm (scalar, no SIMD)', () => createWasmBackend({ simd: false }), {
  randomGraphRuns: 10,
});
// Multi-threaded: every kernel that can be split is (minParallelWork 0), over 3 threads sharing memory.
describeBackendConformance('wasm (3 threads)', () => createWasmBackend({ threads: 3, minParallelWork: 0 }), {
  randomGraphRuns: 10,
});
