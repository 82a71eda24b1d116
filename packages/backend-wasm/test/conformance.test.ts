import { describeBackendConformance } from '@paradox/backend-conformance';
import { createWasmBackend } from '@paradox/backend-wasm';

describeBackendConformance('wasm', () => createWasmBackend());
// The scalar path (no SIMD128; exp/log/tanh via JS helpers) must agree too: engines without SIMD run it.
describeBackendConformance('wasm (scalar, no SIMD)', () => createWasmBackend({ simd: false }), {
  randomGraphRuns: 10,
});
