import { normalizeAxis } from '@paradox/ir';
import type { NodeContext, OpMapping } from '../context.js';
import type { Val } from '../emitter.js';
import { binary, rank, reshape, transpose } from './build.js';
import { slice } from './shape.js';

/**
 * DFT (opset 17) as two matmuls with cos/sin matrices built at import: input [..., n, 1] (real)
 * or [..., n, 2] (complex) along `axis`, output [..., k, 2]. Inverse divides by the length;
 * onesided keeps the first length/2 + 1 frequencies.
 */
function dft(ctx: NodeContext): Val {
  const e = ctx.e;
  const x = ctx.input(0);
  const r = rank(x);
  const axis = normalizeAxis(ctx.int('axis', 1), r - 1);
  const n = x.type.shape[axis]!;
  const length = ctx.optional(1) ? e.known(ctx.input(1), 'DFT dft_length')[0]! : n;
  const inverse = ctx.int('inverse', 0) !== 0;
  const outLen = ctx.int('onesided', 0) !== 0 ? Math.floor(length / 2) + 1 : length;
  const sign = inverse ? 1 : -1;
  const scale = inverse ? 1 / length : 1;
  const cos: number[] = [];
  const sin: number[] = [];
  for (let t = 0; t < length; t++)
    for (let k = 0; k < outLen; k++) {
      const angle = (2 * Math.PI * t * k) / length;
      cos.push(Math.cos(angle) * scale);
      sin.push(sign * Math.sin(angle) * scale);
    }
  const C = e.constant(cos, [length, outLen], 'float32');
  const S = e.constant(sin, [length, outLen], 'float32');
  // Bring the signal axis last, as [..., length] real and imaginary parts (zero-padded or cut to length).
  const perm = [...Array(r - 1).keys()].filter((i) => i !== axis).concat(axis);
  const part = (c: number): Val | undefined => {
    if (c >= x.type.shape[r - 1]!) return undefined;
    const v = reshape(e, slice(e, x, [c], [c + 1], [r - 1], [1]), x.type.shape.slice(0, -1));
    let t = transpose(e, v, perm);
    const shape = t.type.shape;
    if (n > length) t = slice(e, t, [0], [length], [shape.length - 1], [1]);
    if (n < length)
      t = e.op('pad', [t], {
        pads: shape.map((_, i) => (i === shape.length - 1 ? [0, length - n] : [0, 0])),
        value: 0,
      });
    return t;
  };
  const re = part(0)!;
  const im = part(1);
  // (re + i im)(cos + i sin) = re cos - im sin + i (re sin + im cos)
  let outRe = e.op('matmul', [re, C]);
  let outIm = e.op('matmul', [re, S]);
  if (im) {
    outRe = binary(e, 'sub', outRe, e.op('matmul', [im, S]));
    outIm = binary(e, 'add', outIm, e.op('matmul', [im, C]));
  }
  const inverseAxes = perm.map((_, i) => perm.indexOf(i));
  const back = (v: Val) => {
    const t = transpose(e, v, inverseAxes);
    return reshape(e, t, [...t.type.shape, 1]);
  };
  return e.op('concat', [back(outRe), back(outIm)], { axis: r - 1 });
}

export const DFT_OPS: Record<string, OpMapping> = { DFT: dft };
