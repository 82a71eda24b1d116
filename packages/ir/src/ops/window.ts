import * as z from 'zod/mini';
import { isFloat } from '../dtype.js';
import { DTypeError, ShapeError } from '../errors.js';
import type { TensorType } from '../graph.js';
import type { WindowPads } from '../op-types.js';
import { dim } from './define.js';

/**
 * Facts shared by the windowed ops (conv, convTranspose, pools): operands are [N, C, ...spatial]
 * with 1 to 3 spatial axes, and every per-axis attribute has one entry per spatial axis. The
 * window of output position o on an axis reads input o * stride - padBefore + k * dilation for
 * k < kernel; positions outside the input are padding.
 */

export const positive = z.number().check(z.int(), z.minimum(1));
export const padsSchema = z.union([
  z.array(z.tuple([dim, dim])),
  z.enum(['same_upper', 'same_lower', 'valid']),
]);

/** The number of spatial axes of `x`, which must be [N, C, ...spatial] with 1 to 3 spatial axes. */
export function spatialRank(op: string, operands: TensorType[]): number {
  const x = operands[0]!;
  const rank = x.shape.length - 2;
  if (rank < 1 || rank > 3) {
    throw new ShapeError(op, operands, `input must be [N, C, ...spatial] with 1 to 3 spatial axes`);
  }
  return rank;
}

/** Floating operands only: the windowed ops average, accumulate or multiply in the operand dtype. */
export function requireFloat(op: string, operands: TensorType[]): void {
  if (operands.some((t) => !isFloat(t.dtype))) {
    throw new DTypeError(op, operands, 'operands must be float (cast first)');
  }
  if (operands.some((t) => t.dtype !== operands[0]!.dtype)) {
    throw new DTypeError(op, operands, 'operands must share a dtype');
  }
}

/** Every per-axis attribute has one entry per spatial axis. */
export function requireSpatialLength(
  op: string,
  operands: TensorType[],
  fields: Record<string, readonly unknown[] | string>,
  rank: number,
): void {
  for (const [field, value] of Object.entries(fields)) {
    if (typeof value !== 'string' && value.length !== rank) {
      throw new ShapeError(
        op,
        operands,
        `'${field}' has ${value.length} entries but the input has ${rank} spatial axes`,
      );
    }
  }
}

/** Extent of a dilated window: (kernel - 1) * dilation + 1. */
export const windowExtent = (kernel: number, dilation: number): number => (kernel - 1) * dilation + 1;

/**
 * Explicit pads for ONNX's auto_pad modes: 'valid' pads nothing; 'same_*' pads so that the output
 * has ceil(input / stride) positions, the odd element at the end (same_upper) or start (same_lower).
 */
export function resolvePads(
  pads: WindowPads,
  input: readonly number[],
  kernel: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
): [number, number][] {
  if (typeof pads !== 'string') return pads.map(([b, e]) => [b, e]);
  return input.map((size, i) => {
    if (pads === 'valid') return [0, 0];
    const out = Math.ceil(size / strides[i]!);
    const total = Math.max(0, (out - 1) * strides[i]! + windowExtent(kernel[i]!, dilations[i]!) - size);
    const small = Math.floor(total / 2);
    return pads === 'same_upper' ? [small, total - small] : [total - small, small];
  });
}

/**
 * Output positions on one axis. With `ceil`, a last partial window counts, unless it would start
 * in the end padding (ONNX and PyTorch drop that window).
 */
export function windowOutputSize(
  size: number,
  [before, after]: readonly [number, number],
  kernel: number,
  stride: number,
  dilation: number,
  ceil = false,
): number {
  const span = size + before + after - windowExtent(kernel, dilation);
  if (span < 0) return 0;
  if (!ceil) return Math.floor(span / stride) + 1;
  let out = Math.ceil(span / stride) + 1;
  if ((out - 1) * stride >= size + before) out--;
  return out;
}

/** The output's spatial sizes; a window larger than the padded input is a ShapeError. */
export function windowOutputShape(
  op: string,
  operands: TensorType[],
  kernel: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
  pads: readonly [number, number][],
  ceil = false,
): number[] {
  const input = operands[0]!.shape.slice(2);
  return input.map((size, i) => {
    const padded = size + pads[i]![0] + pads[i]![1];
    const extent = windowExtent(kernel[i]!, dilations[i]!);
    if (extent > padded) {
      throw new ShapeError(
        op,
        operands,
        `spatial axis ${i}: the window spans ${extent} elements but the padded input has ${padded}`,
      );
    }
    return windowOutputSize(size, pads[i]!, kernel[i]!, strides[i]!, dilations[i]!, ceil);
  });
}
