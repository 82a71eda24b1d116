import type { NodeContext, OpMapping } from '../context.js';
import type { Emitter, Val } from '../emitter.js';
import { broadcastTo, rank } from './build.js';
import { slice } from './shape.js';

/** One axis of reflect/edge padding as slices of the input concatenated around it. */
function padAxis(e: Emitter, x: Val, axis: number, before: number, after: number, mode: string): Val {
  const d = x.type.shape[axis]!;
  const parts: Val[] = [];
  const edge = (at: number, n: number) => {
    const one = slice(e, x, [at], [at + 1], [axis], [1]);
    const shape = [...x.type.shape];
    shape[axis] = n;
    return broadcastTo(e, one, shape);
  };
  // `count` elements from `from` downwards (a stop below 0 is the graph slice's null stop).
  const mirror = (from: number, count: number) => {
    const starts = x.type.shape.map(() => 0);
    const stops: (number | null)[] = [...x.type.shape];
    const steps = x.type.shape.map(() => 1);
    starts[axis] = from;
    stops[axis] = from - count < 0 ? null : from - count;
    steps[axis] = -1;
    return e.op('slice', [x], { starts, stops, steps });
  };
  if (before > 0) parts.push(mode === 'edge' ? edge(0, before) : mirror(before, before));
  parts.push(x);
  if (after > 0) parts.push(mode === 'edge' ? edge(d - 1, after) : mirror(d - 2, after));
  return parts.length === 1 ? x : e.op('concat', parts, { axis });
}

/** Pad: constant, reflect or edge; negative pads crop. `pads` is [begin_0, ..., begin_r-1, end_0, ...]. */
function pad(ctx: NodeContext): Val {
  const e = ctx.e;
  let x = ctx.input(0);
  const r = rank(x);
  const mode = ctx.string('mode', 'constant');
  let pads: number[];
  let value = 0;
  if (ctx.opset < 11) {
    pads = ctx.ints('pads') ?? ctx.ints('paddings') ?? [];
    value = ctx.float('value', 0);
  } else {
    pads = e.known(ctx.input(1), 'Pad pads');
    if (ctx.optional(2)) value = e.known(ctx.input(2), 'Pad constant_value')[0] ?? 0;
    const axes = ctx.optional(3) ? e.known(ctx.input(3), 'Pad axes') : undefined;
    if (axes) {
      const full = Array(2 * r).fill(0);
      axes.forEach((a0, k) => {
        const a = a0 < 0 ? a0 + r : a0;
        full[a] = pads[k];
        full[a + r] = pads[k + axes.length];
      });
      pads = full;
    }
  }
  const begin = pads.slice(0, r);
  const end = pads.slice(r, 2 * r);
  // Crop first (negative pads), then pad.
  if (pads.some((p) => p < 0)) {
    const starts = begin.map((b) => Math.max(-b, 0));
    const ends = end.map((a, i) => x.type.shape[i]! - Math.max(-a, 0));
    x = slice(e, x, starts, ends, [...Array(r).keys()], []);
  }
  const pos = (p: number) => Math.max(p, 0);
  if (mode === 'constant') {
    if (begin.every((b) => b <= 0) && end.every((a) => a <= 0)) return x;
    return e.op('pad', [x], { pads: begin.map((b, i) => [pos(b), pos(end[i]!)]), value });
  }
  if (mode !== 'reflect' && mode !== 'edge') throw ctx.unsupported(`mode '${mode}'`);
  for (let a = 0; a < r; a++) x = padAxis(e, x, a, pos(begin[a]!), pos(end[a]!), mode);
  return x;
}

export const PAD_OPS: Record<string, OpMapping> = { Pad: pad };
