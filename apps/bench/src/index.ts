/** The bench's pure parts, for tests and for anyone reading results programmatically. */

export { decodeOnnxModel, OnnxModelBuilder } from '@paradox/onnx';
export { parseArgs, USAGE } from './cli.js';
export { annotate, runHarness } from './harness.js';
export { limitFor } from './limits/index.js';
export { FULL_PLAN, measureCold, measureWarm, QUICK_PLAN, type TimingPlan } from './measure.js';
export { chainModel, elementwiseModel, layerNormModel, mlpModel, softmaxModel } from './onnx/models.js';
export * from './report/format.js';
export { renderBar } from './report/progress.js';
export { barLength, escapeXml, logDomain, svgChart } from './report/svg.js';
export { limitsTable, markdownReport, workloadTable } from './report/table.js';
export { compare, median, ratio, type Summary, summarize } from './stats.js';
export type * from './types.js';
