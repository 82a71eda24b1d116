/**
 * @paradox/codegen-c: what every C-family backend shares. Kernel analysis, C syntax of every op
 * (through a small per-target dialect), index expressions, the expression emitter, reduction
 * accumulators and bodies, loop variables, a source writer, host toolchain discovery and a disk
 * cache of compiled artefacts. Targets (backend-cuda, backend-c) add their kernel templates.
 */
export { analyzeKernel, type KernelAnalysis } from './analysis.js';
export * from './c_family.js';
export {
  type ContractionShape,
  type StagedContraction,
  stageContraction,
  tileableContraction,
} from './contraction.js';
export { ArtefactCache, type ArtefactKey, artefactKey, defaultCacheDir, sha256 } from './disk_cache.js';
export { type EmitContext, ExprEmitter } from './emitter.js';
export { renderHelpers } from './helpers.js';
export { type IndexNames, IndexRenderer, type IndexSpace } from './index_expr.js';
export { type KernelParams, kernelParams } from './kernel_params.js';
export { declareAxes, LoopVars } from './loop_vars.js';
export { type ReductionStrategy, renderReductionBody } from './reduction_body.js';
export { type Accumulator, accumulator } from './reductions.js';
export { Lines } from './source_writer.js';
export {
  compilerVersion,
  cpuSignature,
  describeCc,
  findCc,
  findCxx,
  findTool,
  type HostCompiler,
  searchPath,
  type Tool,
} from './toolchain.js';
export { verifyForRender } from './verified.js';
