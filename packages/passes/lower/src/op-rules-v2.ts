import type { ArithSyntax, DType, IndexExpr, TensorType } from '@paradox/ir';
import { erfFormula } from '@paradox/ir';
import { iconst, iraxis } from './index-builders.js';
import type { KernelBuilder } from './kernel-builder.js';
import type { LowerRule, ReductionShape, RuleContext } from './op-rules.js';

/**
 * Lowering of op set v2's indexing and special-function ops.
 * - gather: one load whose index has a dynamic term (the index value, negative wrapped by + extent,
 *   clamped to the axis by the load itself; see DynamicIndex in @paradox/ir).
 * - scatterAdd: a sum reduction over the indices, no dynamic store:
 *   out[pre, j, post] = data[pre, j, post] + sum_i where(resolve(idx[i]) == j, upd[pre, i, post], 0).
 *   Cost is extent x count per output row, fine for gradients of small/medium tables.
 * - argmin: argmax over an order-reversing key (float: -x, int32: -1 - x, bool: !x), so NaN and
 *   first-index ties follow argmin's rule without a kernel fold of its own.
 * - erf: the registry's float32 formula spelled as kernel exprs (no renderer knows erf).
 */
type Fn = 'add' | 'sub' | 'mul' | 'div' | 'minimum' | 'maximum' | 'lt' | 'eq';
const binary =
  (b: KernelBuilder, fn: Fn) =>
  (x: number, y: number): number =>
    b.add({ op: 'binary', fn, dtype: fn === 'lt' || fn === 'eq' ? 'bool' : b.dtypeOf(x), a: x, b: y });

/** An int32 index value with a negative value counted from the end of an axis of `extent`. */
function wrapNegative(b: KernelBuilder, v: number, extent: number): number {
  const zero = b.const(0, 'int32');
  const negative = binary(b, 'lt')(v, zero);
  return b.add({
    op: 'where',
    dtype: 'int32',
    c: negative,
    a: binary(b, 'add')(v, b.const(extent, 'int32')),
    b: v,
  });
}

/** resolveIndex from @paradox/ir as exprs: wrap negatives, then clamp into [0, extent). */
function resolveIndexExpr(b: KernelBuilder, v: number, extent: number): number {
  const wrapped = wrapNegative(b, v, extent);
  const low = binary(b, 'maximum')(wrapped, b.const(0, 'int32'));
  return binary(b, 'minimum')(low, b.const(Math.max(0, extent - 1), 'int32'));
}

/** The multi-index of the indices operand at reduction point: its raxes (a scalar has one of size 1). */
const indicesAt = (indices: TensorType): IndexExpr[] => indices.shape.map((_, r) => iraxis(r));
const scatterReduceShape = (indices: TensorType): number[] =>
  indices.shape.length === 0 ? [1] : [...indices.shape];

export const gather: LowerRule<'gather'> = {
  value: (ctx, index) => {
    const { axis } = ctx.attrs;
    const [data, indices] = ctx.inputTypes as [TensorType, TensorType];
    const q = indices.shape.length;
    const v = ctx.input(1, index.slice(axis, axis + q));
    const at = [...index.slice(0, axis), iconst(0), ...index.slice(axis + q)];
    return ctx.dynamicLoad(0, at, axis, wrapNegative(ctx.b, v, data.shape[axis]!));
  },
};

export const scatterAdd: LowerRule<'scatterAdd'> = {
  reduction: ({ axis }, [data, indices]): ReductionShape => {
    const shape = scatterReduceShape(indices!);
    return { shape, signature: `scatterAdd of [${indices!.shape}] into axis ${axis} of [${data!.shape}]` };
  },
  value: (ctx, index) => {
    const { axis } = ctx.attrs;
    const [data, indices] = ctx.inputTypes as [TensorType, TensorType];
    const dtype = ctx.node.type.dtype;
    const b = ctx.b;
    const at = indicesAt(indices);
    const sum = ctx.reduce(index, 'sum', dtype, () => {
      const target = resolveIndexExpr(b, ctx.input(1, at), data.shape[axis]!);
      const here = b.add({ op: 'index', dtype: 'int32', index: b.simplify(index[axis]!) });
      const update = ctx.input(2, [...index.slice(0, axis), ...at, ...index.slice(axis + 1)]);
      const hit = binary(b, 'eq')(target, here);
      return b.add({ op: 'where', dtype, c: hit, a: b.cast(update, dtype), b: b.const(0, dtype) });
    });
    return binary(b, 'add')(b.cast(ctx.input(0, index), dtype), sum);
  },
};

/** argmin(x) = argmax(key(x)) for an order-reversing key that maps NaN to NaN and never overflows. */
function reversedKey(b: KernelBuilder, x: number, dtype: DType): number {
  if (dtype === 'bool') return b.add({ op: 'unary', fn: 'not', dtype, a: x });
  if (dtype === 'int32') return binary(b, 'sub')(b.const(-1, 'int32'), x);
  return b.add({ op: 'unary', fn: 'neg', dtype, a: x });
}

export const argmin = (
  reductionShape: (x: TensorType, axes: readonly number[], keepdims: boolean) => ReductionShape,
  inputIndex: (index: IndexExpr[], x: TensorType, axis: number, keepdims: boolean) => IndexExpr[],
): LowerRule<'argmin'> => ({
  reduction: ({ axis, keepdims }, [x]) => reductionShape(x!, [axis], keepdims),
  value: (ctx, index) => {
    const { axis, keepdims } = ctx.attrs;
    const x = ctx.inputTypes[0]!;
    return ctx.reduce(index, 'argmax', 'int32', () =>
      reversedKey(ctx.b, ctx.input(0, inputIndex(index, x, axis, keepdims)), x.dtype),
    );
  },
});

export const erf: LowerRule<'erf'> = {
  value: (ctx: RuleContext<'erf'>, index) => {
    const b = ctx.b;
    const f32: ArithSyntax<number> = {
      constant: (c) => b.const(c, 'float32'),
      add: binary(b, 'add'),
      mul: binary(b, 'mul'),
      div: binary(b, 'div'),
      min: binary(b, 'minimum'),
      max: binary(b, 'maximum'),
    };
    const x = b.cast(ctx.input(0, index), 'float32');
    return b.cast(erfFormula(x, f32), ctx.node.type.dtype);
  },
};
