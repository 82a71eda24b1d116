import type { NodeContext, OpMapping } from '../context.js';
import type { Emitter, Val } from '../emitter.js';
import { binary, broadcastTo, cast, full, reshape, transpose, where, withScalar } from './build.js';
import { roundHalfEven } from './elementwise.js';
import { gather } from './indexing.js';
import { slice } from './shape.js';

/**
 * GridSample (opset 16, 4-D) with the graph's gather: every tap reads X at computed pixel indices
 * (X viewed as [N*H*W, C], one linear index per output position), weighted by bilinear, nearest or
 * bicubic (A = -0.75) coefficients; zeros padding masks taps outside the image, border clamps them,
 * reflection mirrors them (PyTorch's grid_sample, which ONNX follows).
 */

interface Image {
  flat: Val; // [N*H*W, C]
  n: number;
  c: number;
  h: number;
  w: number;
  ho: number;
  wo: number;
}

/** PyTorch's reflect_coordinates: mirror `x` into [lo, hi] (given doubled). */
function reflect(e: Emitter, x: Val, twiceLo: number, twiceHi: number): Val {
  if (twiceLo === twiceHi) return full(e, 0, x);
  const min = twiceLo / 2;
  const span = (twiceHi - twiceLo) / 2;
  const d = e.op('abs', [withScalar(e, 'sub', x, min)]);
  const extra = withScalar(e, 'mod', d, span);
  const flips = e.op('floor', [withScalar(e, 'div', d, span)]);
  const even = withScalar(e, 'eq', withScalar(e, 'mod', flips, 2), 0);
  return where(
    e,
    even,
    withScalar(e, 'add', extra, min),
    withScalar(e, 'add', binary(e, 'sub', full(e, span, extra), extra), min),
  );
}

const clip = (e: Emitter, x: Val, hi: number): Val =>
  withScalar(e, 'minimum', withScalar(e, 'maximum', x, 0), hi);

/** The value at integer pixel (ix, iy) ([N,Ho,Wo] float), or 0 where `valid` is false: [N,C,Ho,Wo]. */
function tap(e: Emitter, img: Image, ix: Val, iy: Val, valid: Val | undefined): Val {
  const { n, h, w, ho, wo } = img;
  const col = cast(e, clip(e, ix, w - 1), 'int32');
  const row = cast(e, clip(e, iy, h - 1), 'int32');
  const batch = withScalar(
    e,
    'mul',
    e.op('iota', [], { shape: [n, ho, wo], axis: 0, dtype: 'int32' }),
    h * w,
  );
  const lin = binary(e, 'add', batch, binary(e, 'add', withScalar(e, 'mul', row, w), col));
  const v = transpose(e, gather(e, img.flat, lin, 0), [0, 3, 1, 2]);
  if (!valid) return v;
  return where(e, broadcastTo(e, reshape(e, valid, [n, 1, ho, wo]), v.type.shape), v, full(e, 0, v));
}

function gridSample(ctx: NodeContext): Val {
  const e = ctx.e;
  const x = ctx.input(0);
  const grid = ctx.input(1);
  if (x.type.shape.length !== 4) throw ctx.unsupported('only 4-D inputs');
  const [n, c, h, w] = x.type.shape as [number, number, number, number];
  const [, ho, wo] = grid.type.shape as [number, number, number];
  const mode = ctx.string('mode', 'bilinear');
  const padding = ctx.string('padding_mode', 'zeros');
  const align = ctx.int('align_corners', 0) !== 0;
  const img: Image = { flat: reshape(e, transpose(e, x, [0, 2, 3, 1]), [n * h * w, c]), n, c, h, w, ho, wo };
  const coord = (k: number, size: number) => {
    const g = reshape(e, slice(e, grid, [k], [k + 1], [3], [1]), [n, ho, wo]);
    const unnorm = align
      ? withScalar(e, 'mul', withScalar(e, 'add', g, 1), (size - 1) / 2)
      : withScalar(
          e,
          'div',
          withScalar(e, 'sub', withScalar(e, 'mul', withScalar(e, 'add', g, 1), size), 1),
          2,
        );
    return unnorm;
  };
  /** The padding rule on a coordinate (source index for bilinear/nearest, each tap for bicubic). */
  const pad = (v: Val, size: number): Val => {
    if (padding === 'border') return clip(e, v, size - 1);
    if (padding === 'reflection')
      return clip(e, align ? reflect(e, v, 0, 2 * (size - 1)) : reflect(e, v, -1, 2 * size - 1), size - 1);
    return v;
  };
  const inside = (ix: Val, iy: Val): Val | undefined => {
    if (padding !== 'zeros') return undefined;
    const ok = (v: Val, size: number) =>
      binary(e, 'and', withScalar(e, 'ge', v, 0), withScalar(e, 'le', v, size - 1));
    return binary(e, 'and', ok(ix, w), ok(iy, h));
  };
  const weight = (v: Val) => broadcastTo(e, reshape(e, v, [n, 1, ho, wo]), [n, c, ho, wo]);
  let gx = coord(0, w);
  let gy = coord(1, h);
  if (mode === 'nearest' || mode === 'bilinear') {
    gx = pad(gx, w);
    gy = pad(gy, h);
  }
  if (mode === 'nearest') {
    const ix = roundHalfEven(e, gx);
    const iy = roundHalfEven(e, gy);
    return tap(e, img, ix, iy, inside(ix, iy));
  }
  const x0 = e.op('floor', [gx]);
  const y0 = e.op('floor', [gy]);
  const tx = binary(e, 'sub', gx, x0);
  const ty = binary(e, 'sub', gy, y0);
  if (mode === 'bilinear') {
    let out: Val | undefined;
    for (const [dx, dy] of [
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ] as const) {
      const ix = withScalar(e, 'add', x0, dx);
      const iy = withScalar(e, 'add', y0, dy);
      const wx = dx ? tx : withScalar(e, 'sub', e.op('neg', [tx]), -1);
      const wy = dy ? ty : withScalar(e, 'sub', e.op('neg', [ty]), -1);
      const term = binary(e, 'mul', tap(e, img, ix, iy, inside(ix, iy)), weight(binary(e, 'mul', wx, wy)));
      out = out ? binary(e, 'add', out, term) : term;
    }
    return out!;
  }
  if (mode !== 'bicubic') throw ctx.unsupported(`mode '${mode}'`);
  const a = -0.75;
  const far = (t: Val) =>
    withScalar(
      e,
      'sub',
      binary(
        e,
        'mul',
        withScalar(
          e,
          'add',
          binary(e, 'mul', withScalar(e, 'sub', withScalar(e, 'mul', t, a), 5 * a), t),
          8 * a,
        ),
        t,
      ),
      4 * a,
    );
  const near = (t: Val) =>
    withScalar(
      e,
      'add',
      binary(e, 'mul', binary(e, 'mul', withScalar(e, 'sub', withScalar(e, 'mul', t, a + 2), a + 3), t), t),
      1,
    );
  const coeffs = (t: Val) => {
    const u = withScalar(e, 'sub', e.op('neg', [t]), -1); // 1 - t
    return [far(withScalar(e, 'add', t, 1)), near(t), near(u), far(withScalar(e, 'add', u, 1))];
  };
  const cx = coeffs(tx);
  const cy = coeffs(ty);
  let out: Val | undefined;
  for (let j = 0; j < 4; j++)
    for (let i = 0; i < 4; i++) {
      const ix = pad(withScalar(e, 'add', x0, i - 1), w);
      const iy = pad(withScalar(e, 'add', y0, j - 1), h);
      const term = binary(
        e,
        'mul',
        tap(e, img, ix, iy, inside(ix, iy)),
        weight(binary(e, 'mul', cx[i]!, cy[j]!)),
      );
      out = out ? binary(e, 'add', out, term) : term;
    }
  return out!;
}

export const GRID_SAMPLE_OPS: Record<string, OpMapping> = { GridSample: gridSample };
