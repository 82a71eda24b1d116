// @paradox/optim public API.

export { type AdamOptions, type AdamState, type AdamWOptions, adam, adamw } from './adam.js';
export { OptimError, OptimizerArgumentError, OptimizerConfigError } from './errors.js';
export type { LearningRate, Optimizer, OptimizerState } from './optimizer.js';
export { type SgdOptions, type SgdState, sgd } from './sgd.js';
export { type TrainStep, trainStep } from './train-step.js';
