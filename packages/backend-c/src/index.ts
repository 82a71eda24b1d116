/**
 * @paradox/backend-c: native C kernels compiled on the fly. Each kernel program becomes one C
 * translation unit (OpenMP over the outer loops, SIMD on the innermost axis, a packed
 * register-blocked matmul), built by the host C compiler into a shared object, cached in memory
 * and on disk, and run by one koffi call. Importing registers the 'c' backend.
 */
import { registerBackend } from '@paradox/backend';
import { CBackend } from './backend.js';

export { CBackend, type CBackendOptions, CBuffer, createCBackend, defaultThreads } from './backend.js';
export { CompileQueue, compileQueue } from './compile-queue.js';
export { type BuiltObject, CCompiler, type CompilerOptions, compilerStats } from './compiler.js';
export { CCompileError, CLoadError, CUnavailableError } from './errors.js';
export { ENTRY, type RenderedProgram, type RenderOptions, renderCProgram } from './render/program.js';

/**
 * The registered 'c' backend. Below 'js' (100): chosen by name (`jit(f, { backend: 'c' })`),
 * not by default, because eager execution op by op would compile a shared object per new op.
 * Without a C compiler it stays registered (at 0), says why in `unavailableReason`, and its
 * compile() throws CUnavailableError, which makes jit fall back to eager with one warning.
 */
export const cBackend = new CBackend();
registerBackend(cBackend, { priority: cBackend.unavailableReason === undefined ? 50 : 0 });
