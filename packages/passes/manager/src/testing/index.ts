// @paradox/pass-manager/testing: helpers for testing passes (property tests over random graphs).
export { assertPipelinePreservesResults, type PipelinePropertyOptions } from './pipeline-property.js';
export { edgeCaseInputs, redundantGraph } from './redundant-graph.js';
export { resultDifference } from './same-results.js';
