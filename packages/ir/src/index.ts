// @paradox/ir public API. The IR helper completes the modules marked TODO below.
export * from './dtype.js';
export * from './shape.js';
export * from './graph.js';
export * from './op-types.js';
export * from './interpreter-types.js';
export * from './kernel.js';
export * from './random.js';
