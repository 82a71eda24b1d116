import type {
  Bound,
  BuiltinOpName,
  DType,
  IndexExpr,
  Node,
  OpAttrs,
  OpName,
  ReduceFn,
  TensorType,
} from '@paradox/ir';
import { BINARY_OPS, opTable, promoteTypes, resolveSlice, UNARY_OPS } from '@paradox/ir';
import { broadcastIndex, flatIndex, iadd, iconst, imul, iraxis, unflattenIndex } from './index-builders.js';
import type { KernelBuilder } from './kernel-builder.js';
import { argmin, erf, gather, scatterAdd } from './op-rules-v2.js';
import { WINDOW_LOWER_RULES } from './rules-window.js';
import { selectInBounds } from './select.js';

/**
 * How each op computes its value at one index, as scalar exprs in the kernel being built. This is
 * the whole per-op knowledge of lowering: views are index math on the operand, elementwise ops are
 * one expr over operands cast to a common dtype, reductions and matmul become a `reduce` expr.
 */
export interface RuleContext<P extends OpName> {
  node: Node;
  attrs: OpAttrs[P];
  inputTypes: TensorType[];
  b: KernelBuilder;
  /** The guards the requested value sits under (loads below must respect them). */
  guards: readonly Bound[];
  /** Input `k`'s value at `index` (in the input's own shape); `extraGuards` narrow where it is needed. */
  input(k: number, index: IndexExpr[], extraGuards?: Bound[]): number;
  /**
   * A `reduce` expr over the kernel's reduction domain. `index` is where the node's value is requested:
   * it must be the kernel's domain point (a reduction's result exists only there).
   */
  reduce(index: IndexExpr[], fn: ReduceFn, dtype: DType, operand: () => number): number;
  /**
   * Input `k` (which must be a buffer, not computed in this kernel: fusion stores operands of opaque
   * ops) at `index`, except on `axis`, whose position is the int32 expr `value` clamped to the axis.
   */
  dynamicLoad(k: number, index: IndexExpr[], axis: number, value: number): number;
  /** Records the operand loads of a matmul so the kernel can carry contraction facts. */
  noteContraction(lhs: number, rhs: number, acc: number): void;
}

/** What a reducing op (reductions, matmul) loops over; groups with such an op take their shape from it. */
export interface ReductionShape {
  /** The reduction domain (the kernel's `reduce.shape`). */
  shape: number[];
  /** Equal for two nodes exactly when they can share one reduction loop. */
  signature: string;
  /**
   * For plain reductions: the operand's shape and its index at output `index` and the reduction
   * point (raxis); values of that shape can be stored once per reduction point (phase 'reduction').
   */
  operand?: { shape: number[]; indexAt(index: IndexExpr[]): IndexExpr[] };
}

export interface LowerRule<P extends OpName> {
  value(ctx: RuleContext<P>, index: IndexExpr[]): number;
  reduction?(attrs: OpAttrs[P], inputTypes: TensorType[]): ReductionShape;
  /** Movement ops whose index map is affine with no bounds: a load through them stays a plain load. */
  affineView?: boolean;
}

export type LowerRules = { [P in BuiltinOpName]: LowerRule<P> };

const outType = (ctx: RuleContext<OpName>): TensorType => ctx.node.type;

/** Operand `k` broadcast (numpy rules) to the node's shape and converted to `dtype`. */
function operandAt(ctx: RuleContext<OpName>, k: number, index: IndexExpr[], dtype: DType): number {
  const from = ctx.inputTypes[k]!.shape;
  return ctx.b.cast(ctx.input(k, broadcastIndex(index, outType(ctx).shape, from)), dtype);
}

const UNARY = new Set<string>(UNARY_OPS);
const BINARY = new Set<string>(BINARY_OPS);

/**
 * For the elementwise ops whose rule reads each operand at the node's index (broadcast) under the
 * node's guards and converts it (unary, binary, where, cast): the dtype each operand is converted to.
 * Lowering computes such inputs before running the rule; undefined for every other op.
 */
export function operandDtypes(node: Node, inputTypes: readonly TensorType[]): DType[] | undefined {
  const dtype = node.type.dtype;
  if (UNARY.has(node.op)) return [dtype];
  if (BINARY.has(node.op)) {
    const common = promoteTypes(inputTypes[0]!.dtype, inputTypes[1]!.dtype);
    return [common, common];
  }
  if (node.op === 'where') return ['bool', dtype, dtype];
  if (node.op === 'cast') return [(node.attrs as OpAttrs['cast']).dtype];
  return undefined;
}

const unary = <P extends OpName & import('@paradox/ir').UnaryOp>(fn: P): LowerRule<P> => ({
  value: (ctx, index) => {
    const dtype = ctx.node.type.dtype;
    return ctx.b.add({ op: 'unary', fn, dtype, a: operandAt(ctx, 0, index, dtype) });
  },
});

/** Operands are promoted to a common dtype; the expr's dtype is the result's (bool for comparisons). */
const binary = <P extends OpName & import('@paradox/ir').BinaryOp>(fn: P): LowerRule<P> => ({
  value: (ctx, index) => {
    const common = promoteTypes(ctx.inputTypes[0]!.dtype, ctx.inputTypes[1]!.dtype);
    const a = operandAt(ctx, 0, index, common);
    const b = operandAt(ctx, 1, index, common);
    return ctx.b.add({ op: 'binary', fn, dtype: ctx.node.type.dtype, a, b });
  },
});

/** Input index of a reduction read at output `index` with reduction point `raxis_j` on the j-th reduced axis. */
function reductionInputIndex(
  index: IndexExpr[],
  inShape: readonly number[],
  axes: readonly number[],
  keepdims: boolean,
): IndexExpr[] {
  let kept = 0;
  return inShape.map((_, d) => {
    const j = axes.indexOf(d);
    if (j >= 0) {
      if (keepdims) kept++;
      return iraxis(j);
    }
    return index[kept++]!;
  });
}

function reductionShape(x: TensorType, axes: readonly number[], keepdims: boolean): ReductionShape {
  return {
    shape: axes.map((a) => x.shape[a]!),
    signature: `reduce [${x.shape}] over axes [${axes}]`,
    operand: { shape: [...x.shape], indexAt: (index) => reductionInputIndex(index, x.shape, axes, keepdims) },
  };
}

const reduction = <P extends 'sum' | 'prod' | 'max' | 'min'>(fn: P): LowerRule<P> => ({
  reduction: ({ axes, keepdims }, [x]) => reductionShape(x!, axes, keepdims),
  value: (ctx, index) => {
    const { axes, keepdims } = ctx.attrs;
    const dtype = ctx.node.type.dtype;
    return ctx.reduce(index, fn, dtype, () =>
      ctx.b.cast(ctx.input(0, reductionInputIndex(index, ctx.inputTypes[0]!.shape, axes, keepdims)), dtype),
    );
  },
});

export const LOWER_RULES: LowerRules = {
  ...opTable(UNARY_OPS, unary),
  cast: { value: (ctx, index) => ctx.b.cast(ctx.input(0, index), ctx.attrs.dtype) },
  ...opTable(BINARY_OPS, binary),
  where: {
    value: (ctx, index) => {
      const dtype = ctx.node.type.dtype;
      const c = operandAt(ctx, 0, index, 'bool');
      return ctx.b.add({
        op: 'where',
        dtype,
        c,
        a: operandAt(ctx, 1, index, dtype),
        b: operandAt(ctx, 2, index, dtype),
      });
    },
  },
  sum: reduction('sum'),
  prod: reduction('prod'),
  max: reduction('max'),
  min: reduction('min'),
  argmin: argmin(reductionShape, (index, x, axis, keepdims) =>
    reductionInputIndex(index, x.shape, [axis], keepdims),
  ),
  gather,
  scatterAdd,
  erf,
  argmax: {
    reduction: ({ axis, keepdims }, [x]) => reductionShape(x!, [axis], keepdims),
    value: (ctx, index) => {
      const { axis, keepdims } = ctx.attrs;
      const x = ctx.inputTypes[0]!;
      return ctx.reduce(index, 'argmax', 'int32', () =>
        ctx.input(0, reductionInputIndex(index, x.shape, [axis], keepdims)),
      );
    },
  },
  /** numpy matmul as a sum over raxis 0 (= K); 1-D operands have no M (or N) axis in the result. */
  matmul: {
    reduction: (_attrs, [a]) => {
      const k = a!.shape[a!.shape.length - 1]!;
      return { shape: [k], signature: `matmul over K=${k}` };
    },
    value: (ctx, index) => {
      const [a, b] = ctx.inputTypes as [TensorType, TensorType];
      const out = ctx.node.type;
      const batch = out.shape.length - (a.shape.length > 1 ? 1 : 0) - (b.shape.length > 1 ? 1 : 0);
      const outBatch = out.shape.slice(0, batch);
      const k = iraxis(0);
      const lhsIndex =
        a.shape.length === 1
          ? [k]
          : [...broadcastIndex(index.slice(0, batch), outBatch, a.shape.slice(0, -2)), index[batch]!, k];
      const rhsIndex =
        b.shape.length === 1
          ? [k]
          : [
              ...broadcastIndex(index.slice(0, batch), outBatch, b.shape.slice(0, -2)),
              k,
              index[out.shape.length - 1]!,
            ];
      let lhs = -1;
      let rhs = -1;
      const acc = ctx.reduce(index, 'sum', out.dtype, () => {
        lhs = ctx.input(0, lhsIndex);
        rhs = ctx.input(1, rhsIndex);
        return ctx.b.add({
          op: 'binary',
          fn: 'mul',
          dtype: out.dtype,
          a: ctx.b.cast(lhs, out.dtype),
          b: ctx.b.cast(rhs, out.dtype),
        });
      });
      ctx.noteContraction(lhs, rhs, acc);
      return acc;
    },
  },
  ...WINDOW_LOWER_RULES,
  reshape: {
    affineView: true,
    value: (ctx, index) =>
      ctx.input(0, unflattenIndex(flatIndex(index, ctx.node.type.shape), ctx.inputTypes[0]!.shape)),
  },
  transpose: {
    affineView: true,
    value: (ctx, index) => {
      const inIndex = new Array<IndexExpr>(index.length);
      ctx.attrs.perm.forEach((p, i) => {
        inIndex[p] = index[i]!;
      });
      return ctx.input(0, inIndex);
    },
  },
  broadcast: {
    affineView: true,
    value: (ctx, index) => ctx.input(0, broadcastIndex(index, ctx.node.type.shape, ctx.inputTypes[0]!.shape)),
  },
  slice: {
    affineView: true,
    value: (ctx, index) => {
      const { starts, stops, steps } = ctx.attrs;
      const inShape = ctx.inputTypes[0]!.shape;
      const inIndex = inShape.map((d, i) => {
        const s = resolveSlice(d, starts[i]!, stops[i]!, steps[i]!);
        return iadd(iconst(s.start), imul(index[i]!, s.step));
      });
      return ctx.input(0, inIndex);
    },
  },
  pad: {
    value: (ctx, index) => {
      const inShape = ctx.inputTypes[0]!.shape;
      const inIndex = index.map((e, d) => iadd(e, iconst(-ctx.attrs.pads[d]![0])));
      const bounds = inIndex.map((expr, d) => ({ expr, lo: 0, hi: inShape[d]! }));
      const inside = ctx.input(0, inIndex, bounds);
      return selectInBounds(ctx, bounds, inside, ctx.b.const(ctx.attrs.value, ctx.node.type.dtype));
    },
  },
  /** Each operand owns a band of the concat axis; the last band is the default of a chain of wheres. */
  concat: {
    value: (ctx, index) => {
      const axis = ctx.attrs.axis;
      const bands: { k: number; bound: Bound; at: IndexExpr[] }[] = [];
      let offset = 0;
      ctx.inputTypes.forEach((t, k) => {
        const len = t.shape[axis]!;
        if (len > 0) {
          const at = index.map((e, d) => (d === axis ? iadd(e, iconst(-offset)) : e));
          bands.push({ k, bound: { expr: at[axis]!, lo: 0, hi: len }, at });
        }
        offset += len;
      });
      if (bands.length === 0) return ctx.input(0, index); // an empty result: never evaluated
      if (bands.length === 1) return ctx.input(bands[0]!.k, bands[0]!.at);
      let result = -1;
      for (let i = bands.length - 1; i >= 0; i--) {
        const { k, bound, at } = bands[i]!;
        const value = ctx.input(k, at, [bound]);
        result = i === bands.length - 1 ? value : selectInBounds(ctx, [bound], value, result);
      }
      return result;
    },
  },
  constant: { value: (ctx) => ctx.b.const(ctx.attrs.value, ctx.attrs.dtype) },
  full: { value: (ctx) => ctx.b.const(ctx.attrs.value, ctx.attrs.dtype) },
  iota: {
    value: (ctx, index) =>
      ctx.b.cast(
        ctx.b.add({ op: 'index', dtype: 'int32', index: ctx.b.simplify(index[ctx.attrs.axis]!) }),
        ctx.attrs.dtype,
      ),
  },
  random: {
    value: (ctx, index) => {
      const { seed, dtype, distribution, shape } = ctx.attrs;
      return ctx.b.add({
        op: 'random',
        dtype,
        seed,
        distribution,
        index: ctx.b.simplify(flatIndex(index, shape)),
      });
    },
  },
};

/** The lowering rule of a registered op, or undefined for ops added outside op set v1. */
export function lowerRuleFor(op: string): LowerRule<OpName> | undefined {
  return Object.hasOwn(LOWER_RULES, op) ? (LOWER_RULES[op as BuiltinOpName] as LowerRule<OpName>) : undefined;
}
