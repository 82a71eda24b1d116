// @paradox/tracer public API.

export { type ApplyFunction, apply } from './apply.js';
export { callGraph } from './call-graph.js';
export { withCallSite } from './call-site.js';
export { configureTracer, type TracerConfig } from './config.js';
export { arange, full, ones, rand, randn, tensor, zeros } from './creation.js';
export { backendExecutor } from './eager/backend-executor.js';
export {
  type EagerExecutor,
  getEagerExecutor,
  type OpProgram,
  setEagerExecutor,
} from './eager/eager-executor.js';
export { interpreterExecutor } from './eager/interpreter-executor.js';
export { type EagerLowering, getEagerLowering, setEagerLowering } from './eager/lowering.js';
export {
  EagerExecutionError,
  EscapedTracerError,
  PytreeError,
  TensorArgumentError,
  TensorDataError,
  TensorDisposedError,
  TensorDonatedError,
  TensorTransferredError,
  TracerConversionError,
  TracerError,
  UntraceableOpError,
} from './errors.js';
export type { OpExecutor } from './executor.js';
export { concat, where } from './functions.js';
export type { NestedArray, TensorData } from './host-data.js';
export {
  argmin,
  gather,
  type Indices,
  type OneHotOptions,
  oneHot,
  scatterAdd,
  take,
} from './indexing.js';
export type { Axes, LayerNormOptions } from './method-options.js';
export {
  type BatchNormParams,
  batchNorm,
  type InstanceNormParams,
  instanceNorm,
} from './normalization.js';
export type { Scalar, TensorLike } from './operands.js';
export { setOwn } from './own-fields.js';
export { parameterNames } from './param-names.js';
export { bernoulli, dropout, foldIn, normal, prngKey, splitKey, uniform } from './prng.js';
export { flattenTree, leafPaths, TreeDef, unflattenTree } from './pytree.js';
export { expand, tile } from './repeat.js';
export { clip, erf, type GeluOptions, gelu } from './special.js';
export type { TensorStorage } from './storage.js';
export { type DataOptions, Tensor } from './tensor.js';
export type { TensorValues } from './tensor-values.js';
export { type TraceInfo, type TraceOptions, trace, traceWithInfo, withTraceOptions } from './trace.js';
export type { CapturedConstant } from './trace-context.js';
export { type ApplyPrimitive, type TraceInterpreter, withTraceInterpreter } from './trace-interpreter.js';
export { TracerTensor } from './tracer-tensor.js';
export {
  type AvgPoolOptions,
  avgPool,
  type ConvOptions,
  type ConvTransposeOptions,
  type CumsumOptions,
  conv,
  convTranspose,
  cumsum,
  globalAvgPool,
  globalMaxPool,
  maxPool,
  type PoolOptions,
  type WindowOptions,
} from './windows.js';
