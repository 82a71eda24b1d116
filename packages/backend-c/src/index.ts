/**
 * @paradox/backend-c: native C kernels compiled on the fly. Each kernel program becomes one C
 * translation unit (OpenMP over the outer loops, SIMD on the innermost axis, a packed
 * register-blocked matmul), built by the host C compiler into a shared object, cached in memory
 * and on disk, and run by one koffi call. Importing registers the 'c' backend.
 */
import { registerBackend } from '@paradox/backend';
import { CBackend } from './backend.js';

export { CBackend, type CBackendOptions, CBuffer, createCBackend, defaultThreads } from './backend.js';
export { CompileQueue, compileQueue, defaultCompileJobs } from './compile-queue.js';
export { type BuiltObject, CCompiler, type CompilerOptions, compilerStats } from './compiler.js';
export { CCompileError, CCompileManyError, CLoadError, CUnavailableError } from './errors.js';
export {
  ENTRY,
  MAX_DIRECT_BUFFERS,
  type RenderedProgram,
  type RenderOptions,
  renderCProgram,
} from './render/program.js';

/**
 * The registered 'c' backend, a slow-compile backend at priority 200 (above js 100 and wasm 150):
 * never the default for eager ops (each new op would cost a compiler run) or a first call, but plain
 * `jit(f)` tiers up to it, running a new signature on the quick default at once while C compiles in
 * the background. Without a C compiler it stays registered (at 0, out of the default tiers), says
 * why in `unavailableReason`, and its compile() throws CUnavailableError (jit falls back to eager
 * with one warning).
 */
export const cBackend = new CBackend();
export const C_PRIORITY = 200;
registerBackend(cBackend, {
  priority: cBackend.unavailableReason === undefined ? C_PRIORITY : 0,
  slowCompile: true,
});
