import type { DType } from './dtype.js';
import type { BinaryOp, UnaryOp } from './op-types.js';

/**
 * The kernel dialect: what lowering produces and backends render. Plain data (JSON-serializable,
 * constant data base64-encoded by the serializer), versioned together with the graph dialect.
 *
 * A program is a list of buffers and a list of kernels run in order. Each kernel iterates over
 * its `domain` (the output shape; one logical thread per domain point). A kernel with `reduce`
 * additionally loops over the reduction domain `reduce.shape` for every domain point.
 *
 * Values inside a kernel form a scalar expression DAG: `exprs` is a list in topological order and
 * every reference (`a`, `b`, `c`, `value`) is an index into that list.
 */

// ---------------------------------------------------------------------------------------------
// Index expressions: integer affine forms with floor-div/mod, so views cost no copy.

export type IndexExpr =
  | { k: 'const'; v: number }
  /** Loop index of output-domain axis `axis` (0 <= i < domain[axis]). */
  | { k: 'axis'; axis: number }
  /** Loop index of reduction axis `axis` (0 <= r < reduce.shape[axis]). */
  | { k: 'raxis'; axis: number }
  | { k: 'add'; a: IndexExpr; b: IndexExpr }
  | { k: 'mul'; a: IndexExpr; c: number }
  /** Floor division by a positive constant. */
  | { k: 'div'; a: IndexExpr; c: number }
  /** Floor modulo by a positive constant (result in [0, c)). */
  | { k: 'mod'; a: IndexExpr; c: number };

/** lo <= expr < hi. Used for padding, concat and guarded loads. */
export interface Bound {
  expr: IndexExpr;
  lo: number;
  hi: number;
}

// ---------------------------------------------------------------------------------------------
// Scalar expressions.

export type ReduceFn = 'sum' | 'prod' | 'max' | 'min' | 'argmax';

/**
 * A data-dependent part of a load's index (gather): the int32 value of expr `value`, clamped to
 * [0, extent), times `stride`. The clamp keeps every access inside the declared extent whatever the
 * value, so verification bounds the access without knowing the data: index range + [0, (extent - 1) * stride].
 */
export interface DynamicIndex {
  value: number;
  extent: number;
  stride: number;
}

export type ScalarExpr =
  /**
   * Element `index` (+ the clamped `dynamic` term, when present) of buffer `buffer`. With `guard`, the
   * load happens only when every bound holds; otherwise the value is `other`.
   */
  | {
      op: 'load';
      dtype: DType;
      buffer: number;
      index: IndexExpr;
      guard?: Bound[];
      other?: number;
      dynamic?: DynamicIndex;
    }
  | { op: 'const'; dtype: DType; value: number }
  /** An index expression as an int32 value (iota, argmax bookkeeping). */
  | { op: 'index'; dtype: 'int32'; index: IndexExpr }
  /** true when every bound holds (concat/pad selection). */
  | { op: 'inbounds'; dtype: 'bool'; guards: Bound[] }
  | { op: 'unary'; fn: UnaryOp; dtype: DType; a: number }
  /** Operands already share a dtype (lowering inserts casts). Comparisons yield bool. */
  | { op: 'binary'; fn: BinaryOp; dtype: DType; a: number; b: number }
  | { op: 'where'; dtype: DType; c: number; a: number; b: number }
  | { op: 'cast'; dtype: DType; a: number }
  /**
   * Counter-based random number for flat element `index` (see `randomBits` in @paradox/ir for the exact
   * hash every backend must reproduce bit for bit).
   */
  | { op: 'random'; dtype: DType; seed: number; index: IndexExpr; distribution: 'uniform' | 'normal' }
  /**
   * Accumulates `a` over the whole reduction domain. Its value is available to later exprs
   * (the epilogue). argmax yields the int32 flat position in the reduction domain (first max; NaN wins).
   */
  | { op: 'reduce'; fn: ReduceFn; dtype: DType; a: number };

export interface Store {
  buffer: number;
  /** Flat element index into `buffer`. */
  index: IndexExpr;
  value: number;
  /**
   * 'domain' (default): once per domain point, after the reduction if there is one.
   * 'reduction': once per (domain point, reduction point), in a second loop over the reduction
   * domain after all reduce exprs are complete (e.g. softmax's exp(x - max) / sum in one kernel).
   */
  phase?: 'domain' | 'reduction';
}

/** Extra facts for a matmul kernel so a backend may tile it; the exprs alone are a complete definition. */
export interface Contraction {
  /** The load exprs of the left and right operands; their product is reduced by the `reduce` expr. */
  lhs: number;
  rhs: number;
  /** The reduce expr (sum of lhs*rhs over reduction axis 0 = K). */
  acc: number;
  /** Domain axes that are M and N (the last two); earlier axes are batch. */
  m: number;
  n: number;
}

export interface Kernel {
  /** Compiler-made name (k0, k1, ...). Never from user IR. */
  name: string;
  kind: 'elementwise' | 'reduce' | 'contraction';
  domain: number[];
  reduce?: { shape: number[] };
  exprs: ScalarExpr[];
  stores: Store[];
  contraction?: Contraction;
  /** Graph node ids this kernel computes (for reports and errors only; never rendered into code). */
  sourceNodes?: string[];
}

export interface BufferDecl {
  id: number;
  dtype: DType;
  /** Number of elements. */
  size: number;
  kind: 'input' | 'output' | 'temp' | 'const';
  /** For temps: the memory-plan slot this buffer lives in (slots are shared by liveness). */
  slot?: number;
  /** For constants: index into `KernelProgram.constants`. */
  constant?: number;
}

export interface MemorySlot {
  id: number;
  bytes: number;
}

export interface KernelProgram {
  irVersion: string;
  name: string;
  buffers: BufferDecl[];
  kernels: Kernel[];
  /** Buffer ids bound to the graph inputs, in order. */
  inputs: number[];
  /** Buffer ids (kind 'output', each written by a kernel; lowering adds a copy when an output is an input/constant). */
  outputs: number[];
  /** Output shapes (the buffers are flat). */
  outputShapes: number[][];
  inputShapes: number[][];
  slots: MemorySlot[];
  /** Constant data, host-side. */
  constants: import('./dtype.js').TypedArray[];
}
