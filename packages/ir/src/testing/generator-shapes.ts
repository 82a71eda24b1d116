import { numel } from '../shape.js';
import { scalarFor } from './generator-values.js';
import type { GeneratedValue, ProgramWriter } from './graph-generator.js';
import type { SeededRandom } from './seeded-random.js';

/** Shapes that broadcast against `shape` (both ways: a 1 in either operand stretches). */
function broadcastable(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 1; i <= Math.min(a.length, b.length); i++) {
    const x = a[a.length - i]!;
    const y = b[b.length - i]!;
    if (x !== y && x !== 1 && y !== 1) return false;
  }
  return true;
}

/** A shape that broadcasts with `shape`: some dims become 1, 1-dims may grow, leading dims may go or come. */
export function partnerShape(rng: SeededRandom, shape: readonly number[]): number[] {
  let out = shape.map((d) => (rng.chance(0.3) ? 1 : d === 1 && rng.chance(0.4) ? rng.int(2, 4) : d));
  if (rng.chance(0.3)) out = out.slice(rng.int(0, out.length));
  if (rng.chance(0.15) && out.length < 4) out = [rng.int(1, 3), ...out];
  return out;
}

/**
 * A value to combine with `a` elementwise: an existing broadcast-compatible one, a new input, a
 * `full` or a scalar `constant` (special values included).
 */
export function broadcastPartner(
  w: ProgramWriter,
  a: GeneratedValue,
  accept: (v: GeneratedValue) => boolean = () => true,
): GeneratedValue | undefined {
  const { rng } = w;
  const existing = w.values.filter((v) => v !== a && accept(v) && broadcastable(v.type.shape, a.type.shape));
  const choice = rng.int(0, 9);
  if (choice < 4 && existing.length > 0) return rng.pick(existing);
  if (choice < 5 && accept(a)) return a;
  const dtype = rng.chance(0.75) ? a.type.dtype : rng.pick(['float32', 'int32', 'bool'] as const);
  const probe = { ...a, type: { dtype, shape: [] } };
  if (!accept(probe)) return existing.length > 0 ? rng.pick(existing) : undefined;
  const shape = partnerShape(rng, a.type.shape);
  if (choice < 7 && w.canAddInput) return w.input(dtype, shape);
  const value = scalarFor(rng, dtype);
  const mag = Number.isFinite(value) ? Math.abs(value) : 0;
  if (choice < 8) return w.node('full', [], { value, shape, dtype }, true, mag);
  return w.node('constant', [], { value, dtype }, true, mag);
}

export function permutation(rng: SeededRandom, rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  for (let i = rank - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  return perm.map((p) => (rng.chance(0.2) ? p - rank : p));
}

/** A random factorization of the element count (a 0 dim when empty), sometimes with a -1. */
export function reshapeTarget(rng: SeededRandom, shape: readonly number[]): number[] {
  const n = numel(shape);
  if (n === 0) return rng.pick([[0], [0, rng.int(1, 3)], [rng.int(1, 3), 0, 2]]);
  const dims: number[] = [];
  let left = n;
  while (left > 1 && dims.length < 3) {
    const divisors = Array.from({ length: left }, (_, i) => i + 1).filter((d) => left % d === 0 && d > 1);
    const d = rng.pick(divisors);
    dims.push(d);
    left /= d;
  }
  if (left > 1) dims.push(left);
  if (rng.chance(0.3)) dims.splice(rng.int(0, dims.length), 0, 1);
  if (dims.length > 0 && rng.chance(0.3)) dims[rng.int(0, dims.length - 1)] = -1;
  return dims;
}

/** numpy slicing per axis, negative steps and out-of-range starts/stops included. */
export function sliceAttrs(
  rng: SeededRandom,
  shape: readonly number[],
): { starts: number[]; stops: (number | null)[]; steps: number[] } {
  const starts: number[] = [];
  const stops: (number | null)[] = [];
  const steps: number[] = [];
  for (const d of shape) {
    steps.push(rng.pick([1, 1, 2, 3, -1, -1, -2, -3]));
    starts.push(rng.int(-d - 2, d + 2));
    stops.push(rng.chance(0.3) ? null : rng.int(-d - 2, d + 2));
  }
  return { starts, stops, steps };
}

/** Operands for a concat with `x`: itself, its negation, or values agreeing off the axis. */
export function concatOperands(
  w: ProgramWriter,
  x: GeneratedValue,
): { values: GeneratedValue[]; axis: number } | undefined {
  const { rng } = w;
  const rank = x.type.shape.length;
  if (rank === 0) return undefined;
  const axis = rng.int(0, rank - 1);
  const fits = (v: GeneratedValue) =>
    v.type.dtype === x.type.dtype &&
    v.type.shape.length === rank &&
    v.type.shape.every((d, i) => i === axis || d === x.type.shape[i]);
  const values = [x];
  const count = rng.int(1, rng.chance(0.1) ? 6 : 2);
  for (let i = 0; i < count; i++) {
    const others = w.values.filter(fits);
    values.push(rng.pick(others));
  }
  if (rng.chance(0.3)) values.reverse();
  return { values, axis: rng.chance(0.3) ? axis - rank : axis };
}
