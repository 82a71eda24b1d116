import { DTypeError, ShapeError } from './errors.js';
import type { TensorType } from './graph.js';
import { formatShape, normalizeAxis, type Shape } from './shape.js';

/**
 * Shape arithmetic shared by the type rules, the interpreter and lowering. Each helper takes the op
 * name and operand types so that its errors name them.
 */

/** numpy broadcasting of several shapes (aligned at the right; each dim equal or 1). */
export function broadcastShapes(op: string, operands: TensorType[]): number[] {
  const rank = Math.max(0, ...operands.map((t) => t.shape.length));
  const out = new Array<number>(rank).fill(1);
  for (let i = 0; i < rank; i++) {
    for (const t of operands) {
      const d = t.shape[t.shape.length - rank + i];
      if (d === undefined || d === 1) continue;
      const cur = out[i]!;
      if (cur === 1) out[i] = d;
      else if (cur !== d) {
        throw new ShapeError(
          op,
          operands,
          `cannot broadcast: dimension ${i - rank} is ${cur} in one operand and ${d} in another`,
        );
      }
    }
  }
  return out;
}

/** Whether `from` broadcasts to `to` under numpy rules. */
export function broadcastsTo(from: Shape, to: Shape): boolean {
  if (from.length > to.length) return false;
  const off = to.length - from.length;
  return from.every((d, i) => d === 1 || d === to[off + i]);
}

/**
 * Normalizes reduction axes: negative allowed, result sorted and unique. Throws ShapeError when an
 * axis is out of range or repeated.
 */
export function normalizeAxes(op: string, operand: TensorType, axes: readonly number[]): number[] {
  const rank = operand.shape.length;
  const out: number[] = [];
  for (const a of axes) {
    const n = normalizeAxis(a, rank);
    if (n < 0) throw new ShapeError(op, [operand], `axis ${a} is out of range for rank ${rank}`);
    if (out.includes(n)) throw new ShapeError(op, [operand], `axis ${a} is repeated`);
    out.push(n);
  }
  return out.sort((x, y) => x - y);
}

/** A resolved numpy slice of one axis: element k of the result is source index start + k * step. */
export interface ResolvedSlice {
  start: number;
  step: number;
  length: number;
}

/**
 * numpy slice semantics for one axis of size `dim`: negative start/stop count from the end, out-of-range
 * values clamp, and a null stop means "to the end in the step's direction".
 */
export function resolveSlice(dim: number, start: number, stop: number | null, step: number): ResolvedSlice {
  if (step > 0) {
    const s = clamp(start < 0 ? start + dim : start, 0, dim);
    const e = stop === null ? dim : clamp(stop < 0 ? stop + dim : stop, 0, dim);
    return { start: s, step, length: e > s ? Math.ceil((e - s) / step) : 0 };
  }
  const s = clamp(start < 0 ? start + dim : start, -1, dim - 1);
  const e = stop === null ? -1 : clamp(stop < 0 ? stop + dim : stop, -1, dim - 1);
  return { start: s, step, length: s > e ? Math.ceil((s - e) / -step) : 0 };
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);

/** Output shape of numpy matmul (1-D operands promoted then squeezed, batch dims broadcast). */
export function matmulShape(op: string, a: TensorType, b: TensorType): number[] {
  const operands = [a, b];
  if (a.shape.length === 0 || b.shape.length === 0) {
    throw new ShapeError(op, operands, 'operands must have rank >= 1 (use mul for scalars)');
  }
  const as = a.shape.length === 1 ? [1, a.shape[0]!] : a.shape;
  const bs = b.shape.length === 1 ? [b.shape[0]!, 1] : b.shape;
  const k1 = as[as.length - 1]!;
  const k2 = bs[bs.length - 2]!;
  if (k1 !== k2) {
    throw new ShapeError(
      op,
      operands,
      `contracted dimensions differ: ${k1} (last of lhs) vs ${k2} (${b.shape.length === 1 ? 'only' : 'second-to-last'} of rhs)`,
    );
  }
  let batch: number[];
  try {
    batch = broadcastShapes(op, [
      { dtype: a.dtype, shape: as.slice(0, -2) },
      { dtype: b.dtype, shape: bs.slice(0, -2) },
    ]);
  } catch {
    throw new ShapeError(
      op,
      operands,
      `batch dimensions ${formatShape(as.slice(0, -2))} and ${formatShape(bs.slice(0, -2))} do not broadcast`,
    );
  }
  const out = [...batch];
  if (a.shape.length > 1) out.push(as[as.length - 2]!);
  if (b.shape.length > 1) out.push(bs[bs.length - 1]!);
  return out;
}

/** Resolves a reshape target with at most one -1. */
export function reshapeTarget(op: string, operand: TensorType, shape: readonly number[]): number[] {
  const total = operand.shape.reduce((x, y) => x * y, 1);
  const holes = shape.filter((d) => d === -1).length;
  if (holes > 1) throw new ShapeError(op, [operand], `target ${formatShape(shape)} has more than one -1`);
  const bad = shape.find((d) => d < -1);
  if (bad !== undefined)
    throw new ShapeError(op, [operand], `target ${formatShape(shape)} has negative dimension ${bad}`);
  const known = shape.reduce((x, y) => (y === -1 ? x : x * y), 1);
  if (holes === 1) {
    if (known === 0 || total % known !== 0) {
      throw new ShapeError(op, [operand], `cannot infer -1 in ${formatShape(shape)} for ${total} elements`);
    }
    return shape.map((d) => (d === -1 ? total / known : d));
  }
  if (known !== total) {
    throw new ShapeError(
      op,
      [operand],
      `target ${formatShape(shape)} has ${known} elements, operand has ${total}`,
    );
  }
  return [...shape];
}

/** Throws DTypeError unless `ok(dtype)` holds for every operand. */
export function requireDTypes(
  op: string,
  operands: TensorType[],
  ok: (t: TensorType) => boolean,
  what: string,
): void {
  if (!operands.every(ok)) throw new DTypeError(op, operands, `operands must be ${what}`);
}
