// @paradox/pass-lower: fused graph -> kernel program, memory planning.

export {
  describeProgram,
  formatProgramStats,
  type KernelStats,
  type ProgramStats,
} from './describe-program.js';
export { LoweringError } from './errors.js';
export { evaluateProgram, ProgramEvaluationError } from './evaluate-program.js';
export { isContiguousIndex, kernelRanges } from './index-analysis.js';
export { domainFlatIndex, flatIndex, unflattenIndex } from './index-builders.js';
export { type LowerOptions, lowerGraph } from './lower-graph.js';
export { planMemory, replanMemory, slotBytes } from './memory-plan.js';
export {
  LOWER_RULES,
  type LowerRule,
  type LowerRules,
  type ReductionShape,
  type RuleContext,
} from './op-rules.js';
export { type IndexRanges, indexKey, indexRange, simplifyIndex } from './simplify-index.js';
