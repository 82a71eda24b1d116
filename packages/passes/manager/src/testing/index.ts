// @paradox/pass-manager/testing: helpers for testing passes (property tests over random graphs).
export { edgeCaseInputs, redundantGraph } from './redundant-graph.js';
export { resultDifference } from './same-results.js';
