/**
 * @paradox/codegen-c/render: the render-only half of the package (kernel analysis, C syntax of every
 * op, index expressions, the expression emitter, reductions, loop variables, a source writer). It
 * imports nothing from Node, so a page can render C and CUDA (the playground does); the package
 * root adds the host toolchain and the disk cache.
 */
export { analyzeKernel, type KernelAnalysis } from './analysis.js';
export * from './c_family.js';
export {
  type ContractionShape,
  columnName,
  type StagedContraction,
  stageContraction,
  tileableContraction,
} from './contraction.js';
export { type EmitContext, ExprEmitter } from './emitter.js';
export { renderHelpers } from './helpers.js';
export { type IndexNames, IndexRenderer, type IndexSpace } from './index_expr.js';
export { type KernelParams, kernelParams } from './kernel_params.js';
export { declareAxes, LoopVars } from './loop_vars.js';
export { type ReductionStrategy, renderReductionBody } from './reduction_body.js';
export { type Accumulator, accumulator } from './reductions.js';
export { Lines } from './source_writer.js';
export { verifyForRender } from './verified.js';
