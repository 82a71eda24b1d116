import type { $ZodType } from 'zod/v4/core';
import type { DType } from './dtype.js';
import type { TensorType } from './graph.js';

/** Attributes of every built-in op (op set v1). The registry's zod schemas validate exactly these. */
export interface ReduceAttrs {
  /** Axes to reduce (normalized, sorted, unique after validation). Empty = no-op reduction. */
  axes: number[];
  keepdims: boolean;
}
type NoAttrs = Record<string, never>;

/**
 * Padding of a windowed op's spatial axes: explicit [before, after] pairs (one per spatial axis),
 * or ONNX's auto_pad modes. Canonical attrs always hold the explicit pairs.
 */
export type WindowPads = [number, number][] | 'same_upper' | 'same_lower' | 'valid';

/** conv over NCW/NCHW/NCDHW input with OI[spatial] weights (ONNX Conv without the bias). */
export interface ConvAttrs {
  strides: number[];
  dilations: number[];
  pads: WindowPads;
  groups: number;
}

/** ONNX ConvTranspose: weights are [C_in, C_out / groups, ...kernel]. */
export interface ConvTransposeAttrs extends ConvAttrs {
  /** Extra elements added at the end of each spatial axis of the result. */
  outputPadding: number[];
}

/** max/avg pooling windows (ONNX MaxPool / AveragePool). */
export interface PoolAttrs {
  kernel: number[];
  strides: number[];
  dilations: number[];
  pads: WindowPads;
  /** Output size rounds up (a last partial window is kept unless it starts in the end padding). */
  ceilMode: boolean;
}

export interface AvgPoolAttrs extends PoolAttrs {
  /** Divide by the whole window, padding included (ONNX count_include_pad), not by its in-bounds part. */
  countIncludePad: boolean;
}

export interface BuiltinOpAttrs {
  // elementwise unary
  neg: NoAttrs;
  abs: NoAttrs;
  exp: NoAttrs;
  log: NoAttrs;
  sqrt: NoAttrs;
  rsqrt: NoAttrs;
  sin: NoAttrs;
  cos: NoAttrs;
  tanh: NoAttrs;
  sigmoid: NoAttrs;
  relu: NoAttrs;
  floor: NoAttrs;
  ceil: NoAttrs;
  sign: NoAttrs;
  not: NoAttrs;
  cast: { dtype: DType };
  // elementwise binary (numpy broadcasting, dtype promotion)
  add: NoAttrs;
  sub: NoAttrs;
  mul: NoAttrs;
  div: NoAttrs;
  pow: NoAttrs;
  maximum: NoAttrs;
  minimum: NoAttrs;
  mod: NoAttrs;
  eq: NoAttrs;
  ne: NoAttrs;
  lt: NoAttrs;
  le: NoAttrs;
  gt: NoAttrs;
  ge: NoAttrs;
  and: NoAttrs;
  or: NoAttrs;
  // ternary
  where: NoAttrs;
  // reductions
  sum: ReduceAttrs;
  max: ReduceAttrs;
  min: ReduceAttrs;
  prod: ReduceAttrs;
  argmax: { axis: number; keepdims: boolean };
  /** Index (int32) of the first minimum along one axis; NaN counts as the minimum. */
  argmin: { axis: number; keepdims: boolean };
  // indexing (op set v2): see ops/indexing.ts for the index rules (negative wraps, out of range clamps)
  gather: { axis: number };
  scatterAdd: { axis: number };
  // special functions
  erf: NoAttrs;
  // contraction
  matmul: NoAttrs;
  // windowed (ops/conv.ts, ops/pool.ts, ops/cumsum.ts)
  conv: ConvAttrs;
  convTranspose: ConvTransposeAttrs;
  maxPool: PoolAttrs;
  avgPool: AvgPoolAttrs;
  /** Running sum along `axis`; `exclusive` leaves out the element itself, `reverse` runs from the end. */
  cumsum: { axis: number; exclusive: boolean; reverse: boolean };
  // movement
  reshape: { shape: number[] };
  transpose: { perm: number[] };
  broadcast: { shape: number[] };
  /** numpy slicing per axis; stops may be null (= to the end in the step's direction). */
  slice: { starts: number[]; stops: (number | null)[]; steps: number[] };
  /** pads[i] = [before, after] elements on axis i, filled with `value`. */
  pad: { pads: [number, number][]; value: number };
  concat: { axis: number };
  // creation
  constant: { value: number; dtype: DType };
  full: { value: number; shape: number[]; dtype: DType };
  iota: { shape: number[]; axis: number; dtype: DType };
  random: { seed: number; shape: number[]; dtype: DType; distribution: 'uniform' | 'normal' };
}

export type BuiltinOpName = keyof BuiltinOpAttrs;

/**
 * Attributes of every op: the built-ins plus what other packages declare for the ops they register,
 * by declaration merging, so `apply('softplus', [x], { beta: 2 })` is typed like a built-in:
 *
 *   declare module '@paradox/ir' { interface OpAttrs { softplus: { beta: number } } }
 */
export interface OpAttrs extends BuiltinOpAttrs {}

export type OpName = keyof OpAttrs;

export const UNARY_OPS = [
  'neg',
  'abs',
  'exp',
  'log',
  'sqrt',
  'rsqrt',
  'sin',
  'cos',
  'tanh',
  'sigmoid',
  'relu',
  'floor',
  'ceil',
  'sign',
  'not',
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

export const BINARY_OPS = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'mod',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'and',
  'or',
] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

export const REDUCE_OPS = ['sum', 'max', 'min', 'prod', 'argmax', 'argmin'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];

export const MOVEMENT_OPS = ['reshape', 'transpose', 'broadcast', 'slice', 'pad', 'concat'] as const;
export type MovementOp = (typeof MOVEMENT_OPS)[number];

export interface OpTraits {
  elementwise?: boolean;
  commutative?: boolean;
  reduction?: boolean;
  movement?: boolean;
  /** Side effects or nondeterminism: never merged, removed only when unused... never for random. */
  impure?: boolean;
  contraction?: boolean;
  creation?: boolean;
  /** The result is bool whatever the operands' dtype (eq ne lt le gt ge). */
  comparison?: boolean;
  /**
   * Reads operands through data-dependent indices (gather, scatterAdd): fusion gives it a kernel of
   * its own and stores every operand in a buffer first, so lowering sees plain buffers.
   */
  opaque?: boolean;
  /** Relative cost of one application, used by fusion's recompute heuristics (add = 1). */
  cost?: number;
}

/**
 * One op, declared once. Passes, printers and backends read these facts; none keeps its own op switch.
 * `arity` is the exact number of inputs, or 'variadic' (concat: at least one).
 */
export interface OpDef<A = any> {
  name: string;
  arity: number | 'variadic';
  /** Any zod 4 schema: zod/mini (what the built-ins use) or classic zod. */
  attrs: $ZodType<A>;
  /**
   * A cheap test run before the schema: true only for attrs the schema accepts (false says nothing,
   * the schema decides and names the fault). Ops recorded once per traced op (the scalar constant
   * and broadcast of `x.mul(2)`) have one, so tracing a long chain parses no schema.
   */
  quickAttrs?(attrs: unknown): boolean;
  traits: OpTraits;
  /** Infers the output type or throws a ShapeError naming the op, the operand shapes and why. */
  inferType(inputs: TensorType[], attrs: A): TensorType;
  /**
   * The canonical spelling of valid attrs for these inputs (e.g. reduction axes normalized, sorted).
   * GraphBuilder stores canonical attrs and the verifier requires them, so passes never re-normalize.
   */
  canonicalize?(inputs: TensorType[], attrs: A): A;
  /** For reductions: how values fold (identity, step, argmax's rule), read by every evaluator and renderer. */
  reduce?: import('./ops/reduce-facts.js').ReduceDef;
  /**
   * For ops added with registerOp: the op in terms of other registered ops, added to `b` (a
   * GraphBuilder) over `inputs`; returns the id of the value replacing the op's result, which must
   * have the op's type. `decomposeOps` expands every such op before passes and lowering run, so
   * passes and backends only ever see ops they know.
   */
  decompose?: (
    b: import('./builder.js').GraphBuilder,
    inputs: import('./graph.js').ValueId[],
    attrs: A,
    inputTypes: TensorType[],
  ) => import('./graph.js').ValueId;
  /** Reference semantics for ops added with registerOp (the built-in ops live in the interpreter's table). */
  evaluate?: (
    inputs: import('./interpreter-types.js').HostTensor[],
    attrs: A,
    out: TensorType,
  ) => import('./interpreter-types.js').HostTensor;
}
