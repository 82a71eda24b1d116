// @paradox/pass-manager: the pass contract, the pass/pipeline registries, PassManager and instrumentation.

export {
  FixpointNotConvergedError,
  InsertionPointError,
  PassFailedError,
  PassManagerError,
  PassRegistrationError,
  PipelineCycleError,
  PipelineFailureError,
  PipelineParseError,
  UnknownPassError,
} from './errors.js';
export {
  applyInsertions,
  type InsertionPoint,
  insertionPoints,
  type PassInsertion,
  parseInsertion,
} from './insertion.js';
export { type PassInstrumentation, type PrintIROptions, printIRInstrumentation } from './instrumentation.js';
export {
  DEFAULT_MAX_FIXPOINT_ITERATIONS,
  PassManager,
  type PassManagerOptions,
  type PassTiming,
  type PipelineResult,
  runPipeline,
} from './manager.js';
export {
  formatPassOutputs,
  type PassOutputFormatter,
  registerPassOutputFormatter,
} from './output-formats.js';
export type {
  Logger,
  Pass,
  PassContext,
  PassOutputs,
  PassResult,
  PassStats,
  TargetCapabilities,
} from './pass.js';
export { silentLogger } from './pass.js';
export { formatPipeline, MAX_PIPELINE_NESTING, type PipelineStep, parsePipeline } from './pipeline-syntax.js';
export {
  DEFAULT_PIPELINE,
  getPass,
  getPipeline,
  listPasses,
  listPipelines,
  type RegisterOptions,
  registerPass,
  registerPipeline,
  unregisterPass,
  unregisterPipeline,
} from './registry.js';
export { formatStatsReport, formatTimingReport } from './reports.js';
export { isReproducer, makeReproducer, type Reproducer, writeReproducer } from './reproducer.js';
export { ConstantTable, FreshIds, maxNumericNodeId, replaceAllUses, resolveReplacement } from './rewrite.js';
