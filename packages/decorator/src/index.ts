// @paradox/jit: StaticGraph, jit(), @jit, the signature cache, eager fallback, inspect, export/load.
import './eager-lowering.js';
import './pipeline.js';

export { CompiledGraph } from './compiled-graph.js';
export { JitArgumentError, JitError, JitExportError, JitFallbackError, JitLoadLimitError } from './errors.js';
export type { JitInspection, PassDump } from './inspection.js';
export { type JitControls, type JittedFunction, type JittedMethod, jit, jitCompile } from './jit.js';
export { jitGraph } from './jit-graph.js';
export type { CacheInfo } from './jit-runtime.js';
export { type LoadOptions, loadCompiled } from './load-compiled.js';
export {
  DEFAULT_MAX_BUFFER_BYTES,
  DEFAULT_MAX_KERNEL_ITERATIONS,
  type LoadLimits,
} from './load-limits.js';
export type { CompileOptions, JitOptions } from './options.js';
export { DEFAULT_PIPELINE } from './pipeline.js';
export { StaticGraph } from './static-graph.js';
export type { TierReport } from './tiers.js';
