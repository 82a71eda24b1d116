import {
  type BinaryOp,
  type DType,
  isFloat,
  normalizeAxes,
  normalizeAxis,
  numel,
  type OpAttrs,
  type OpName,
  type TensorType,
  type UnaryOp,
} from '@paradox/ir';
import { withOneCallSite } from './call-site.js';
import { executorFor } from './dispatch.js';
import { TensorArgumentError } from './errors.js';
import type { Axes, LayerNormOptions } from './method-options.js';
import { castTo, computeDType, isScalar, prepareOperands, type TensorLike } from './operands.js';
import type { Tensor } from './tensor.js';

/**
 * Every tensor operation, written once. A method prepares its operands (casts, broadcasts, scalar
 * constants), then hands one op request to the executor chosen for its operands (eager or a trace),
 * so eager tensors and tracers share this code. Composites are written from the primitives.
 */
export abstract class TensorOps {
  readonly shape: readonly number[];
  readonly dtype: DType;

  protected constructor(type: TensorType) {
    // A frozen shape array is shared as is (jit's outputs pass one per program output): copying and
    // freezing per tensor is a measurable part of a small call.
    this.shape =
      Object.isFrozen(type.shape) && Array.isArray(type.shape) ? type.shape : Object.freeze([...type.shape]);
    this.dtype = type.dtype;
  }

  get type(): TensorType {
    return { dtype: this.dtype, shape: [...this.shape] };
  }
  get rank(): number {
    return this.shape.length;
  }
  /** Number of elements. */
  get size(): number {
    return numel(this.shape);
  }

  // ------------------------------------------------------------------------------------------
  // Primitive plumbing.

  private self(): Tensor {
    return this as unknown as Tensor;
  }

  private apply<P extends OpName>(op: P, inputs: readonly Tensor[], attrs: OpAttrs[P]): Tensor {
    return withOneCallSite(() => executorFor(inputs).execute(op, inputs, attrs as Record<string, unknown>));
  }

  private unary(op: UnaryOp): Tensor {
    return this.apply(op, [this.self()], {} as OpAttrs[UnaryOp]);
  }

  private binary(op: BinaryOp, other: TensorLike): Tensor {
    const operands = [this.self(), other];
    const ex = executorFor(operands);
    const dtype = computeDType(operands);
    return withOneCallSite(() => {
      const [a, b] = prepareOperands(ex, op, operands, [dtype, dtype]);
      return ex.execute(op, [a!, b!], {});
    });
  }

  private reduce(op: 'sum' | 'max' | 'min' | 'prod', axes: Axes, keepdims: boolean): Tensor {
    return this.apply(op, [this.self()], { axes: this.axesOf(axes), keepdims });
  }

  private axesOf(axes: Axes): number[] {
    if (axes === undefined) return this.shape.map((_, i) => i);
    return typeof axes === 'number' ? [axes] : [...axes];
  }

  private axis(method: string, axis: number, rank = this.rank): number {
    const a = normalizeAxis(axis, rank);
    if (a < 0) throw new TensorArgumentError(method, `axis ${axis} is out of range for rank ${rank}`);
    return a;
  }

  // ------------------------------------------------------------------------------------------
  // Elementwise unary.

  neg(): Tensor {
    return this.unary('neg');
  }
  abs(): Tensor {
    return this.unary('abs');
  }
  exp(): Tensor {
    return this.unary('exp');
  }
  log(): Tensor {
    return this.unary('log');
  }
  sqrt(): Tensor {
    return this.unary('sqrt');
  }
  rsqrt(): Tensor {
    return this.unary('rsqrt');
  }
  sin(): Tensor {
    return this.unary('sin');
  }
  cos(): Tensor {
    return this.unary('cos');
  }
  tanh(): Tensor {
    return this.unary('tanh');
  }
  sigmoid(): Tensor {
    return this.unary('sigmoid');
  }
  relu(): Tensor {
    return this.unary('relu');
  }
  floor(): Tensor {
    return this.unary('floor');
  }
  ceil(): Tensor {
    return this.unary('ceil');
  }
  sign(): Tensor {
    return this.unary('sign');
  }
  /** Logical not (bool tensors). */
  not(): Tensor {
    return this.unary('not');
  }
  cast(dtype: DType): Tensor {
    return this.apply('cast', [this.self()], { dtype });
  }

  // ------------------------------------------------------------------------------------------
  // Elementwise binary (numpy broadcasting; JS numbers are weakly typed scalars).

  add(other: TensorLike): Tensor {
    return this.binary('add', other);
  }
  sub(other: TensorLike): Tensor {
    return this.binary('sub', other);
  }
  mul(other: TensorLike): Tensor {
    return this.binary('mul', other);
  }
  /** Division; on int32 operands it is floor division (the result stays int32). */
  div(other: TensorLike): Tensor {
    return this.binary('div', other);
  }
  pow(other: TensorLike): Tensor {
    return this.binary('pow', other);
  }
  maximum(other: TensorLike): Tensor {
    return this.binary('maximum', other);
  }
  minimum(other: TensorLike): Tensor {
    return this.binary('minimum', other);
  }
  /** Floor modulo (the result has the divisor's sign, as in numpy). */
  mod(other: TensorLike): Tensor {
    return this.binary('mod', other);
  }
  eq(other: TensorLike): Tensor {
    return this.binary('eq', other);
  }
  ne(other: TensorLike): Tensor {
    return this.binary('ne', other);
  }
  lt(other: TensorLike): Tensor {
    return this.binary('lt', other);
  }
  le(other: TensorLike): Tensor {
    return this.binary('le', other);
  }
  gt(other: TensorLike): Tensor {
    return this.binary('gt', other);
  }
  ge(other: TensorLike): Tensor {
    return this.binary('ge', other);
  }
  /** Logical and (bool tensors). */
  and(other: TensorLike): Tensor {
    return this.binary('and', other);
  }
  /** Logical or (bool tensors). */
  or(other: TensorLike): Tensor {
    return this.binary('or', other);
  }

  /** `this ? a : b` elementwise; a non-bool condition means "nonzero". */
  where(a: TensorLike, b: TensorLike): Tensor {
    const ex = executorFor([this, a, b]);
    const dtype = computeDType([a, b]);
    const operands = prepareOperands(ex, 'where', [this.self(), a, b], ['bool', dtype, dtype]);
    return ex.execute('where', operands, {});
  }

  // ------------------------------------------------------------------------------------------
  // Reductions.

  sum(axes?: Axes, keepdims = false): Tensor {
    return this.reduce('sum', axes, keepdims);
  }
  max(axes?: Axes, keepdims = false): Tensor {
    return this.reduce('max', axes, keepdims);
  }
  min(axes?: Axes, keepdims = false): Tensor {
    return this.reduce('min', axes, keepdims);
  }
  prod(axes?: Axes, keepdims = false): Tensor {
    return this.reduce('prod', axes, keepdims);
  }
  /** Index of the first maximum along `axis` (int32); without an axis, over the flattened tensor. */
  argmax(axis?: number, keepdims = false): Tensor {
    if (axis === undefined) {
      const index = this.apply('argmax', [this.reshape([-1])], { axis: 0, keepdims: false });
      return keepdims ? index.reshape(this.shape.map(() => 1)) : index;
    }
    return this.apply('argmax', [this.self()], { axis, keepdims });
  }

  // ------------------------------------------------------------------------------------------
  // Contraction.

  /** numpy matmul: 1-D operands act as row/column vectors, batch dims broadcast; operands promote. */
  matmul(other: Tensor): Tensor {
    if (isScalar(other))
      throw new TensorArgumentError('matmul', 'the operand is a JS number; use mul() for scalars');
    const ex = executorFor([this, other]);
    const dtype = computeDType([this.self(), other]);
    return ex.execute('matmul', [castTo(ex, this.self(), dtype), castTo(ex, other, dtype)], {});
  }

  // ------------------------------------------------------------------------------------------
  // Movement.

  /** New shape with the same elements; one dimension may be -1. */
  reshape(shape: readonly number[]): Tensor {
    return this.apply('reshape', [this.self()], { shape: [...shape] });
  }
  /** Permutes axes; without `perm`, reverses them. */
  transpose(perm?: readonly number[]): Tensor {
    const p = perm ? perm.map((a) => this.axis('transpose', a)) : this.shape.map((_, i) => this.rank - 1 - i);
    return this.apply('transpose', [this.self()], { perm: p });
  }
  /** The transpose (axes reversed). */
  get T(): Tensor {
    return this.transpose();
  }
  /** numpy broadcast_to. */
  broadcastTo(shape: readonly number[]): Tensor {
    return this.apply('broadcast', [this.self()], { shape: [...shape] });
  }
  /**
   * numpy slicing: `starts[i]:stops[i]:steps[i]` on axis `axes[i]` (default: the leading axes).
   * Negative indices count from the end, out-of-range ones clamp, a null stop runs to the end in the
   * step's direction; unmentioned axes are kept whole.
   */
  slice(
    starts: readonly number[],
    stops: readonly (number | null)[],
    steps?: readonly number[],
    axes?: readonly number[],
  ): Tensor {
    const n = starts.length;
    if (stops.length !== n || (steps && steps.length !== n) || (axes && axes.length !== n)) {
      throw new TensorArgumentError('slice', 'starts, stops, steps and axes must have the same length');
    }
    const attrs: OpAttrs['slice'] = {
      starts: this.shape.map(() => 0),
      stops: this.shape.map(() => null),
      steps: this.shape.map(() => 1),
    };
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      const axis = axes ? this.axis('slice', axes[i]!) : i;
      if (axis >= this.rank)
        throw new TensorArgumentError('slice', `${n} axes given for a rank-${this.rank} tensor`);
      if (seen.has(axis)) throw new TensorArgumentError('slice', `axis ${axis} is sliced twice`);
      seen.add(axis);
      const step = steps?.[i] ?? 1;
      if (step === 0 || !Number.isInteger(step))
        throw new TensorArgumentError('slice', `step ${step} on axis ${axis} must be a non-zero integer`);
      attrs.starts[axis] = starts[i]!;
      attrs.stops[axis] = stops[i]!;
      attrs.steps[axis] = step;
    }
    return this.apply('slice', [this.self()], attrs);
  }
  /** Constant padding: `pads[i] = [before, after]` for every axis. */
  pad(pads: readonly (readonly [number, number])[], value = 0): Tensor {
    return this.apply('pad', [this.self()], {
      pads: pads.map(([a, b]) => [a, b] as [number, number]),
      value,
    });
  }
  /** Joins `this` and `others` along `axis` (operands promote to a common dtype). */
  concat(others: readonly Tensor[], axis = 0): Tensor {
    const all = [this.self(), ...others];
    const ex = executorFor(all);
    const dtype = computeDType(all);
    return ex.execute(
      'concat',
      all.map((t) => castTo(ex, t, dtype)),
      { axis },
    );
  }

  // ------------------------------------------------------------------------------------------
  // Composites (written from the primitives above).

  /** Removes size-1 axes (all of them, or the given ones, which must have size 1). */
  squeeze(axes?: Axes): Tensor {
    const drop =
      axes === undefined
        ? this.shape.flatMap((d, i) => (d === 1 ? [i] : []))
        : this.axesOf(axes).map((a) => this.axis('squeeze', a));
    for (const a of drop) {
      if (this.shape[a] !== 1)
        throw new TensorArgumentError('squeeze', `axis ${a} has size ${this.shape[a]}, not 1`);
    }
    return this.reshape(this.shape.filter((_, i) => !drop.includes(i)));
  }
  /** Inserts a size-1 axis at `axis` (in the result's numbering; -1 appends). */
  unsqueeze(axis: number): Tensor {
    const a = this.axis('unsqueeze', axis, this.rank + 1);
    return this.reshape([...this.shape.slice(0, a), 1, ...this.shape.slice(a)]);
  }
  /** Merges axes startAxis..endAxis (inclusive) into one. */
  flatten(startAxis = 0, endAxis = -1): Tensor {
    if (this.rank === 0) return this.reshape([1]);
    const s = this.axis('flatten', startAxis);
    const e = this.axis('flatten', endAxis);
    if (s > e)
      throw new TensorArgumentError('flatten', `startAxis ${startAxis} comes after endAxis ${endAxis}`);
    return this.reshape([
      ...this.shape.slice(0, s),
      numel(this.shape.slice(s, e + 1)),
      ...this.shape.slice(e + 1),
    ]);
  }

  /** Arithmetic mean; integer and bool tensors are averaged in float32. */
  mean(axes?: Axes, keepdims = false): Tensor {
    const x = isFloat(this.dtype) ? this.self() : this.cast('float32');
    const count = normalizeAxes('mean', this.type, this.axesOf(axes)).reduce((n, a) => n * this.shape[a]!, 1);
    return x.sum(axes, keepdims).div(count);
  }
  /** Variance: mean((x - mean(x))^2); `correction` = 1 gives the unbiased estimate. */
  variance(axes?: Axes, keepdims = false, correction = 0): Tensor {
    const x = isFloat(this.dtype) ? this.self() : this.cast('float32');
    const count = normalizeAxes('variance', this.type, this.axesOf(axes)).reduce(
      (n, a) => n * this.shape[a]!,
      1,
    );
    const centered = x.sub(x.mean(axes, true));
    return centered
      .mul(centered)
      .sum(axes, keepdims)
      .div(count - correction);
  }
  /** exp(x - max) / sum(exp(x - max)) along `axis` (stable for large inputs). */
  softmax(axis = -1): Tensor {
    const e = this.sub(this.max(axis, true)).exp();
    return e.div(e.sum(axis, true));
  }
  /** x - max - log(sum(exp(x - max))) along `axis`. */
  logSoftmax(axis = -1): Tensor {
    const shifted = this.sub(this.max(axis, true));
    return shifted.sub(shifted.exp().sum(axis, true).log());
  }
  /** Normalizes over the last axis: (x - mean) / sqrt(var + eps) * gamma + beta. */
  layerNorm(options: LayerNormOptions = {}): Tensor {
    const { eps = 1e-5, gamma, beta } = options;
    const centered = this.sub(this.mean(-1, true));
    let y = centered.mul(centered.mul(centered).mean(-1, true).add(eps).rsqrt());
    if (gamma !== undefined) y = y.mul(gamma);
    if (beta !== undefined) y = y.add(beta);
    return y;
  }
  /** GELU, tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
  gelu(): Tensor {
    const x = this.self();
    const inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
    return x.mul(0.5).mul(inner.tanh().add(1));
  }
}
