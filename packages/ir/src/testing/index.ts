// @paradox/ir/testing: fast-check arbitraries of graphs. A subpath of its own so that the main entry's
// types never name fast-check (a consumer without it type-checks @paradox/ir with skipLibCheck off).
export {
  type FastCheckModule,
  type RandomGraphCase,
  type RandomGraphOptions,
  randomGraph,
  randomInputs,
} from './random-graph.js';
