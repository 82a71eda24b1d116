import * as z from 'zod/mini';
import { DTypeError, ShapeError } from '../errors.js';
import type { TensorType } from '../graph.js';
import { formatShape, normalizeAxis } from '../shape.js';
import { broadcastsTo, reshapeTarget, resolveSlice } from '../shape-rules.js';
import { anyNumber, type BuiltinOpDef, dim, hasExactKeys, int, isShapeValue } from './define.js';

/** Movement ops change which element sits where, never a value; lowering turns them into index expressions. */
const movement = { movement: true, cost: 0 } as const;
const SHAPE_KEYS = ['shape'];

function requireRankLength(op: string, x: TensorType, field: string, length: number): void {
  if (length !== x.shape.length) {
    throw new ShapeError(
      op,
      [x],
      `'${field}' has ${length} entries but the operand has rank ${x.shape.length}`,
    );
  }
}

function normalizePerm(x: TensorType, perm: readonly number[]): number[] {
  requireRankLength('transpose', x, 'perm', perm.length);
  const norm = perm.map((p) => normalizeAxis(p, x.shape.length));
  if (norm.some((p) => p < 0) || new Set(norm).size !== norm.length) {
    throw new ShapeError(
      'transpose',
      [x],
      `perm [${perm.join(',')}] is not a permutation of ${x.shape.length} axes`,
    );
  }
  return norm;
}

export const movementOps = {
  /** Row-major reinterpretation; at most one -1 (canonical form has none). */
  reshape: {
    name: 'reshape',
    arity: 1,
    attrs: z.strictObject({ shape: z.array(int) }),
    traits: movement,
    inferType([x], { shape }) {
      return { dtype: x!.dtype, shape: reshapeTarget('reshape', x!, shape) };
    },
    canonicalize([x], { shape }) {
      return { shape: reshapeTarget('reshape', x!, shape) };
    },
  } satisfies BuiltinOpDef<'reshape'>,

  /** out.shape[i] = x.shape[perm[i]]. */
  transpose: {
    name: 'transpose',
    arity: 1,
    attrs: z.strictObject({ perm: z.array(int) }),
    traits: movement,
    inferType([x], { perm }) {
      return { dtype: x!.dtype, shape: normalizePerm(x!, perm).map((p) => x!.shape[p]!) };
    },
    canonicalize([x], { perm }) {
      return { perm: normalizePerm(x!, perm) };
    },
  } satisfies BuiltinOpDef<'transpose'>,

  /** numpy broadcast_to. */
  broadcast: {
    name: 'broadcast',
    arity: 1,
    attrs: z.strictObject({ shape: z.array(dim) }),
    quickAttrs: (a) => hasExactKeys(a, SHAPE_KEYS) && isShapeValue(a.shape),
    traits: movement,
    inferType([x], { shape }) {
      if (!broadcastsTo(x!.shape, shape)) {
        throw new ShapeError('broadcast', [x!], `cannot broadcast to ${formatShape(shape)}`);
      }
      return { dtype: x!.dtype, shape: [...shape] };
    },
  } satisfies BuiltinOpDef<'broadcast'>,

  /** numpy basic slicing on every axis (see resolveSlice). */
  slice: {
    name: 'slice',
    arity: 1,
    attrs: z.strictObject({ starts: z.array(int), stops: z.array(z.nullable(int)), steps: z.array(int) }),
    traits: movement,
    inferType([x], { starts, stops, steps }) {
      requireRankLength('slice', x!, 'starts', starts.length);
      requireRankLength('slice', x!, 'stops', stops.length);
      requireRankLength('slice', x!, 'steps', steps.length);
      if (steps.includes(0)) throw new ShapeError('slice', [x!], 'step 0 is not allowed');
      const shape = x!.shape.map((d, i) => resolveSlice(d, starts[i]!, stops[i]!, steps[i]!).length);
      return { dtype: x!.dtype, shape };
    },
  } satisfies BuiltinOpDef<'slice'>,

  /** Constant padding: pads[i] = [before, after] on axis i, non-negative. */
  pad: {
    name: 'pad',
    arity: 1,
    attrs: z.strictObject({ pads: z.array(z.tuple([dim, dim])), value: anyNumber }),
    traits: movement,
    inferType([x], { pads }) {
      requireRankLength('pad', x!, 'pads', pads.length);
      return { dtype: x!.dtype, shape: x!.shape.map((d, i) => d + pads[i]![0] + pads[i]![1]) };
    },
  } satisfies BuiltinOpDef<'pad'>,

  /** Joins operands along `axis`; all operands share dtype and rank and agree on the other dims. */
  concat: {
    name: 'concat',
    arity: 'variadic',
    attrs: z.strictObject({ axis: int }),
    traits: movement,
    inferType(inputs, { axis }) {
      const first = inputs[0]!;
      const rank = first.shape.length;
      const a = normalizeAxis(axis, rank);
      if (a < 0) throw new ShapeError('concat', inputs, `axis ${axis} is out of range for rank ${rank}`);
      if (inputs.some((t) => t.dtype !== first.dtype)) {
        throw new DTypeError('concat', inputs, 'operands must share a dtype (cast first)');
      }
      const shape = [...first.shape];
      for (const [k, t] of inputs.entries()) {
        if (t.shape.length !== rank)
          throw new ShapeError('concat', inputs, `operand ${k} has rank ${t.shape.length}, expected ${rank}`);
        for (let i = 0; i < rank; i++) {
          if (i !== a && t.shape[i] !== first.shape[i]) {
            throw new ShapeError(
              'concat',
              inputs,
              `operand ${k} has dimension ${i} = ${t.shape[i]}, expected ${first.shape[i]}`,
            );
          }
        }
        if (k > 0) shape[a] = shape[a]! + t.shape[a]!;
      }
      return { dtype: first.dtype, shape };
    },
    canonicalize(inputs, { axis }) {
      return { axis: normalizeAxis(axis, inputs[0]!.shape.length) };
    },
  } satisfies BuiltinOpDef<'concat'>,
};
