import * as z from 'zod/mini';
import { ShapeError } from '../errors.js';
import type { TensorType } from '../graph.js';
import type { ConvAttrs, ConvTransposeAttrs } from '../op-types.js';
import { type BuiltinOpDef, dim, int } from './define.js';
import {
  padsSchema,
  positive,
  requireFloat,
  requireSpatialLength,
  resolvePads,
  spatialRank,
  windowExtent,
  windowOutputShape,
} from './window.js';

const convSchema = z.strictObject({
  strides: z.array(positive),
  dilations: z.array(positive),
  pads: padsSchema,
  groups: positive,
});

/** Checks x [N, C, ...S] and w against groups; returns the spatial rank and the kernel sizes. */
function checkOperands(
  op: string,
  operands: TensorType[],
  attrs: ConvAttrs,
  weightIn: (w: readonly number[]) => number,
): { rank: number; kernel: number[] } {
  const [x, w] = operands as [TensorType, TensorType];
  requireFloat(op, operands);
  const rank = spatialRank(op, operands);
  if (w.shape.length !== rank + 2) {
    throw new ShapeError(op, operands, `weights must have rank ${rank + 2} (2 + spatial axes)`);
  }
  const { strides, dilations, pads, groups } = attrs;
  requireSpatialLength(op, operands, { strides, dilations, pads }, rank);
  const channels = x.shape[1]!;
  if (channels % groups !== 0) {
    throw new ShapeError(op, operands, `${channels} input channels do not split into ${groups} groups`);
  }
  if (weightIn(w.shape) !== channels) {
    throw new ShapeError(
      op,
      operands,
      `weights read ${weightIn(w.shape)} input channels (with groups ${groups}) but the input has ${channels}`,
    );
  }
  return { rank, kernel: w.shape.slice(2) };
}

/**
 * out[n, m, o] = sum over c < C/groups and window offsets k of
 * x[n, g * C/groups + c, o * stride - padBefore + k * dilation] * w[m, c, k], g = m / (M/groups),
 * reading zero in the padding (ONNX Conv without its bias; add the bias after).
 */
export const convOps = {
  conv: {
    name: 'conv',
    arity: 2,
    attrs: convSchema,
    // Reads its operands as buffers through index math and reduces in its own loop, like matmul.
    traits: { contraction: true, cost: 8 },
    inferType(operands, attrs) {
      const { kernel } = checkOperands('conv', operands, attrs, (w) => w[1]! * attrs.groups);
      const [x, w] = operands as [TensorType, TensorType];
      if (w.shape[0]! % attrs.groups !== 0) {
        throw new ShapeError(
          'conv',
          operands,
          `${w.shape[0]} output channels do not split into ${attrs.groups} groups`,
        );
      }
      const pads = resolvePads(attrs.pads, x.shape.slice(2), kernel, attrs.strides, attrs.dilations);
      const spatial = windowOutputShape('conv', operands, kernel, attrs.strides, attrs.dilations, pads);
      return { dtype: x.dtype, shape: [x.shape[0]!, w.shape[0]!, ...spatial] };
    },
    canonicalize([x, w], attrs) {
      const kernel = w!.shape.slice(2);
      return {
        ...attrs,
        pads: resolvePads(attrs.pads, x!.shape.slice(2), kernel, attrs.strides, attrs.dilations),
      };
    },
  } satisfies BuiltinOpDef<'conv'>,

  /**
   * The transpose (gradient with respect to the input) of conv: input position i with window offset
   * k adds x[n, c, i] * w[c, m, k] to out[n, g * M/groups + m, i * stride - padBefore + k * dilation].
   * Output size: stride * (in - 1) + outputPadding + (kernel - 1) * dilation + 1 - pads.
   * 'same_*' pads give out = in * stride (ONNX auto_pad without output_shape). A negative end pad
   * (ONNX output_shape past the full scatter) lengthens the output with zeros: canonical attrs hold
   * it as output padding, so every canonical pad is non-negative.
   */
  convTranspose: {
    name: 'convTranspose',
    arity: 2,
    attrs: z.extend(convSchema, {
      pads: z.union([z.array(z.tuple([dim, int])), padsSchema]),
      outputPadding: z.array(dim),
    }),
    traits: { contraction: true, cost: 8 },
    inferType(operands, attrs) {
      const { rank, kernel } = checkOperands('convTranspose', operands, attrs, (w) => w[0]!);
      requireSpatialLength('convTranspose', operands, { outputPadding: attrs.outputPadding }, rank);
      const [x, w] = operands as [TensorType, TensorType];
      const pads = transposePads(attrs, x.shape.slice(2), kernel);
      const spatial = x.shape.slice(2).map((size, i) => {
        const full =
          attrs.strides[i]! * (size - 1) +
          attrs.outputPadding[i]! +
          windowExtent(kernel[i]!, attrs.dilations[i]!);
        const out = full - pads[i]![0] - pads[i]![1];
        if (out < 0 || size === 0) {
          throw new ShapeError(
            'convTranspose',
            operands,
            `spatial axis ${i}: the pads remove more than the ${full} positions`,
          );
        }
        return out;
      });
      return { dtype: x.dtype, shape: [x.shape[0]!, w.shape[1]! * attrs.groups, ...spatial] };
    },
    canonicalize([x, w], attrs) {
      const pads = transposePads(attrs, x!.shape.slice(2), w!.shape.slice(2));
      return {
        ...attrs,
        pads: pads.map(([b, e]): [number, number] => [b, Math.max(0, e)]),
        outputPadding: attrs.outputPadding.map((p, i) => p + Math.max(0, -pads[i]![1])),
      };
    },
  } satisfies BuiltinOpDef<'convTranspose'>,
};

/** ONNX ConvTranspose's auto_pad: the output is in * stride; same_upper puts the odd pad at the end. */
export function transposePads(
  attrs: ConvTransposeAttrs,
  input: readonly number[],
  kernel: readonly number[],
): [number, number][] {
  const { pads, strides, dilations, outputPadding } = attrs;
  if (typeof pads !== 'string') return pads.map(([b, e]) => [b, e]);
  return input.map((size, i) => {
    if (pads === 'valid') return [0, 0];
    const full = strides[i]! * (size - 1) + outputPadding[i]! + windowExtent(kernel[i]!, dilations[i]!);
    const total = Math.max(0, full - size * strides[i]!);
    const half = Math.floor(total / 2);
    return pads === 'same_upper' ? [half, total - half] : [total - half, half];
  });
}
