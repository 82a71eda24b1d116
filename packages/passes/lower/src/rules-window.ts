import type { Bound, IndexExpr, OpAttrs, TensorType } from '@paradox/ir';
import { canonicalKey, lowestValue, numel } from '@paradox/ir';
import { iadd, iconst, idiv, imod, imul, iraxis } from './index-builders.js';
import type { LowerRule, ReductionShape, RuleContext } from './op-rules.js';
import { selectInBounds } from './select.js';

/**
 * The windowed ops as one reduction loop per output element over index-math views of their
 * operands: no im2col buffer, padding is a guarded load, the window is affine index math.
 * Canonical attrs hold explicit pads.
 */

type Pads = [number, number][];
type Window = { strides: number[]; dilations: number[]; pads: Pads };

const windowOf = (attrs: { strides: number[]; dilations: number[]; pads: unknown }): Window =>
  attrs as Window;

/** The reduction loop of a windowed op; equal signatures only for the same op, operands and attrs. */
function windowReduction(op: string, shape: number[], attrs: object, inputs: TensorType[]): ReductionShape {
  const operands = inputs.map((t) => `[${t.shape}]`).join(' ');
  return { shape, signature: `${op} ${operands} ${canonicalKey(attrs)}` };
}

/** Input position on each spatial axis: o * stride - padBefore + k * dilation (k = raxis first + i). */
function windowPositions(out: readonly IndexExpr[], w: Window, first: number): IndexExpr[] {
  return out.map((o, i) =>
    iadd(iadd(imul(o, w.strides[i]!), iconst(-w.pads[i]![0])), imul(iraxis(first + i), w.dilations[i]!)),
  );
}

/** 0 <= position < extent on every spatial axis of `x`. */
const insideInput = (positions: IndexExpr[], x: TensorType): Bound[] =>
  positions.map((expr, i) => ({ expr, lo: 0, hi: x.shape[i + 2]! }));

function mul(ctx: RuleContext<never>, a: number, b: number): number {
  const dtype = ctx.node.type.dtype;
  return ctx.b.add({ op: 'binary', fn: 'mul', dtype, a: ctx.b.cast(a, dtype), b: ctx.b.cast(b, dtype) });
}

/** Sum over (channel in group, kernel offsets) of x (zero in the padding) times w. */
const conv: LowerRule<'conv'> = {
  reduction: (attrs, inputs) => windowReduction('conv', inputs[1]!.shape.slice(1), attrs, inputs),
  value: (ctx, index) => {
    const [x, w] = ctx.inputTypes as [TensorType, TensorType];
    const win = windowOf(ctx.attrs);
    const perGroup = ctx.node.type.shape[1]! / ctx.attrs.groups;
    const channel = iadd(imul(idiv(index[1]!, perGroup), w.shape[1]!), iraxis(0));
    const positions = windowPositions(index.slice(2), win, 1);
    const kernel = positions.map((_, i) => iraxis(i + 1));
    return ctx.reduce(index, 'sum', ctx.node.type.dtype, () =>
      mul(
        ctx as RuleContext<never>,
        ctx.input(0, [index[0]!, channel, ...positions], insideInput(positions, x)),
        ctx.input(1, [index[1]!, iraxis(0), ...kernel]),
      ),
    );
  },
};

/**
 * Gather form: output o takes x at (o + padBefore - k * dilation) / stride where that divides
 * exactly and lands inside x; elsewhere the term is 0 (not 0 * w: a scatter adds nothing there).
 */
const convTranspose: LowerRule<'convTranspose'> = {
  reduction: (attrs, inputs) => {
    const w = inputs[1]!.shape;
    return windowReduction('convTranspose', [w[0]! / attrs.groups, ...w.slice(2)], attrs, inputs);
  },
  value: (ctx, index) => {
    const [x, w] = ctx.inputTypes as [TensorType, TensorType];
    const win = windowOf(ctx.attrs);
    const outPerGroup = w.shape[1]!;
    const inPerGroup = w.shape[0]! / ctx.attrs.groups;
    const channel = iadd(imul(idiv(index[1]!, outPerGroup), inPerGroup), iraxis(0));
    const bounds: Bound[] = [];
    const positions = index.slice(2).map((o, i) => {
      const s = win.strides[i]!;
      const num = iadd(iadd(o, iconst(win.pads[i]![0])), imul(iraxis(i + 1), -win.dilations[i]!));
      if (s > 1) bounds.push({ expr: imod(num, s), lo: 0, hi: 1 });
      const at = idiv(num, s);
      bounds.push({ expr: at, lo: 0, hi: x.shape[i + 2]! });
      return at;
    });
    const kernel = positions.map((_, i) => iraxis(i + 1));
    const dtype = ctx.node.type.dtype;
    return ctx.reduce(index, 'sum', dtype, () => {
      const xv = ctx.input(0, [index[0]!, channel, ...positions], bounds);
      const wv = ctx.input(1, [channel, imod(index[1]!, outPerGroup), ...kernel]);
      const term = mul(ctx as RuleContext<never>, xv, wv);
      return selectInBounds(ctx as RuleContext<never>, bounds, term, ctx.b.const(0, dtype));
    });
  },
};

/** Padding reads the dtype's lowest value (-inf for floats): it never wins a max. */
const maxPool: LowerRule<'maxPool'> = {
  reduction: (attrs, inputs) => windowReduction('maxPool', attrs.kernel, attrs, inputs),
  value: (ctx, index) => {
    const x = ctx.inputTypes[0]!;
    const positions = windowPositions(index.slice(2), windowOf(ctx.attrs), 0);
    const bounds = insideInput(positions, x);
    const dtype = ctx.node.type.dtype;
    return ctx.reduce(index, 'max', dtype, () =>
      selectInBounds(
        ctx as RuleContext<never>,
        bounds,
        ctx.input(0, [index[0]!, index[1]!, ...positions], bounds),
        ctx.b.const(lowestValue(dtype), dtype),
      ),
    );
  },
};

/**
 * The window's sum over its count; the count is a second reduction over the same loop unless no
 * window ever leaves the counted region (then it is the kernel size).
 */
const avgPool: LowerRule<'avgPool'> = {
  reduction: (attrs, inputs) => windowReduction('avgPool', attrs.kernel, attrs, inputs),
  value: (ctx, index) => {
    const x = ctx.inputTypes[0]!;
    const attrs = ctx.attrs as OpAttrs['avgPool'] & Window;
    const positions = windowPositions(index.slice(2), attrs, 0);
    const bounds = insideInput(positions, x);
    const dtype = ctx.node.type.dtype;
    const sum = ctx.reduce(index, 'sum', dtype, () =>
      ctx.input(0, [index[0]!, index[1]!, ...positions], bounds),
    );
    const counted = attrs.countIncludePad
      ? positions.map((expr, i) => ({
          expr,
          lo: -attrs.pads[i]![0],
          hi: x.shape[i + 2]! + attrs.pads[i]![1],
        }))
      : bounds;
    const live = ctx.b.simplifyGuards(counted);
    const count =
      live.length === 0
        ? ctx.b.const(numel(attrs.kernel), dtype)
        : ctx.reduce(index, 'sum', dtype, () =>
            ctx.b.cast(ctx.b.add({ op: 'inbounds', dtype: 'bool', guards: live }), dtype),
          );
    return ctx.b.add({ op: 'binary', fn: 'div', dtype, a: sum, b: count });
  },
};

/** Every element sums the whole axis (raxis 0), loading only the elements its direction includes. */
const cumsum: LowerRule<'cumsum'> = {
  reduction: (attrs, inputs) => windowReduction('cumsum', [inputs[0]!.shape[attrs.axis]!], attrs, inputs),
  value: (ctx, index) => {
    const { axis, exclusive, reverse } = ctx.attrs;
    const n = ctx.inputTypes[0]!.shape[axis]!;
    const j = iraxis(0);
    const i = index[axis]!;
    const distance = reverse ? iadd(j, imul(i, -1)) : iadd(i, imul(j, -1));
    const at = index.map((e, d) => (d === axis ? j : e));
    return ctx.reduce(index, 'sum', ctx.node.type.dtype, () =>
      ctx.input(0, at, [{ expr: distance, lo: exclusive ? 1 : 0, hi: n }]),
    );
  },
};

export const WINDOW_LOWER_RULES = { conv, convTranspose, maxPool, avgPool, cumsum };
