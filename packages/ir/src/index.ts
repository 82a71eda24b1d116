// @paradox/ir public API.

export * from './builder.js';
export { canonicalKey } from './canonical-key.js';
export { decomposeOps } from './decompose.js';
export * from './dtype.js';
export * from './errors.js';
export * from './graph.js';
export * from './interpreter/index.js';
export * from './interpreter-types.js';
export * from './kernel.js';
export * from './kernel-analysis/index.js';
export { literalOf, literalProblem, verifyProgramLiterals } from './literal.js';
export * from './op-types.js';
export type { BuiltinOpDef, BuiltinOpTable } from './ops/define.js';
export { type ArithSyntax, erfFormula } from './ops/erf.js';
export { BUILTIN_OP_TABLE } from './ops/index.js';
export { gatheredShape, resolveIndex } from './ops/indexing.js';
export { opTable } from './ops/op-table.js';
export { reducedShape } from './ops/reduce.js';
export {
  ARGMIN_DEF,
  type ArgPartial,
  argmaxMerges,
  argmaxTakes,
  argminTakes,
  highestValue,
  lowestValue,
  type MergeSyntax,
  NO_POSITION,
  NUMBER_MERGE_RULES,
  NUMBER_RULES,
  type ReduceDef,
  type RuleSyntax,
  reduceDef,
} from './ops/reduce-facts.js';
export * from './random.js';
export * from './registry.js';
export { checkSchema, type SchemaCheck } from './schema-check.js';
export { deserializeGraph, serializeGraph } from './serialize/graph-json.js';
export { type Migration, registerMigration, toJson } from './serialize/json.js';
export { deserializeProgram, serializeProgram } from './serialize/program-json.js';
export * from './shape.js';
export * from './shape-rules.js';
export {
  type GeneratedBatch,
  type GeneratedCase,
  type GeneratedValue,
  type GraphGeneratorOptions,
  generateGraphBatch,
  generateGraphBatchOf,
  generateGraphCase,
} from './testing/graph-generator.js';
export { oneKernelProgram, unaryChainProgram } from './testing/kernel-programs.js';
export { SeededRandom } from './testing/seeded-random.js';
export * from './text/index.js';
export { verifyGraph } from './verifier.js';
export { IR_MAJOR, IR_VERSION, type ParsedVersion, parseVersion } from './version.js';
