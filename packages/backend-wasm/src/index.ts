// @paradox/backend-wasm: kernels rendered to WebAssembly (SIMD128 where available) at run time.
// Importing it registers 'wasm': above 'js' (100) when the engine has SIMD128, below it otherwise.
import { registerBackend } from '@paradox/backend';
import { createWasmBackend } from './runtime/backend.js';

export { type MemoryStats, WasmMemoryLimitError } from './runtime/arena.js';
export { createWasmBackend, type WasmBackend, type WasmBackendOptions } from './runtime/backend.js';
export { sharedMemorySupported, simdSupported } from './runtime/features.js';
export { threadsAvailable, WasmThreadError } from './runtime/thread-pool.js';

/** Registry priority: above backend-js (100), below backend-c, which is native code. */
export const WASM_PRIORITY = 150;

/** The registered instance. */
export const wasmBackend = createWasmBackend();
registerBackend(wasmBackend, { priority: wasmBackend.simd ? WASM_PRIORITY : 50 });
