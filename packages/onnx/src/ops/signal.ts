import type { NodeContext, OpMapping } from '../context.js';
import { paradoxDType } from '../dtypes.js';
import type { Val } from '../emitter.js';

/**
 * Window functions (ONNX 17) as constants: the size must be known at import, and the values are
 * the generalized cosine window sum_k (-1)^k a_k cos(2 pi k n / N), N = size (periodic) or size - 1.
 */
const cosineWindow =
  (coefficients: number[]): OpMapping =>
  (ctx: NodeContext): Val => {
    const size = ctx.e.known(ctx.input(0), `${ctx.opType} size`)[0]!;
    const n = ctx.int('periodic', 1) !== 0 ? size : size - 1;
    const values = Array.from({ length: size }, (_, i) =>
      coefficients.reduce((acc, a, k) => acc + (k % 2 ? -a : a) * Math.cos((2 * Math.PI * k * i) / n), 0),
    );
    return ctx.e.constant(
      values,
      [size],
      paradoxDType(ctx.int('output_datatype', 1), `${ctx.opType} output_datatype`),
    );
  };

export const SIGNAL_OPS: Record<string, OpMapping> = {
  HannWindow: cosineWindow([0.5, 0.5]),
  HammingWindow: cosineWindow([25 / 46, 21 / 46]),
  BlackmanWindow: cosineWindow([0.42, 0.5, 0.08]),
};
