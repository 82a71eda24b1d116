import * as z from 'zod/mini';
import type { TensorType } from '../graph.js';
import type { UnaryOp } from '../op-types.js';
import { requireDTypes } from '../shape-rules.js';
import { type BuiltinOpDef, dtypeSchema, isBool, isFloating, isNumeric, noAttrs } from './define.js';

/**
 * Elementwise unary ops. The output keeps the operand's dtype and shape.
 * Accepted dtypes (an op outside its class is a DTypeError, never an implicit cast):
 * - transcendental (exp log sqrt rsqrt sin cos tanh sigmoid): float only; cast int32 first.
 * - neg abs sign relu floor ceil: float or int32 (floor/ceil are the identity on int32).
 * - not: bool only.
 */
type Accepts = 'float' | 'numeric' | 'bool';
const ACCEPTS: Record<Accepts, [(t: TensorType) => boolean, string]> = {
  float: [isFloating, 'float (cast int32 to float32 first)'],
  numeric: [isNumeric, 'float or int32'],
  bool: [isBool, 'bool'],
};

function unary<P extends UnaryOp>(name: P, accepts: Accepts, cost: number): BuiltinOpDef<P> {
  const [ok, what] = ACCEPTS[accepts];
  return {
    name,
    arity: 1,
    attrs: noAttrs,
    traits: { elementwise: true, cost },
    inferType([x]) {
      requireDTypes(name, [x!], ok, what);
      return { dtype: x!.dtype, shape: [...x!.shape] };
    },
  } as BuiltinOpDef<P>;
}

export const unaryOps = {
  neg: unary('neg', 'numeric', 1),
  abs: unary('abs', 'numeric', 1),
  exp: unary('exp', 'float', 4),
  log: unary('log', 'float', 4),
  sqrt: unary('sqrt', 'float', 2),
  rsqrt: unary('rsqrt', 'float', 2),
  sin: unary('sin', 'float', 4),
  cos: unary('cos', 'float', 4),
  tanh: unary('tanh', 'float', 4),
  sigmoid: unary('sigmoid', 'float', 5),
  relu: unary('relu', 'numeric', 1),
  floor: unary('floor', 'numeric', 1),
  ceil: unary('ceil', 'numeric', 1),
  sign: unary('sign', 'numeric', 1),
  not: unary('not', 'bool', 1),
  /** Any dtype to any dtype; see the interpreter for the exact conversion rules. */
  cast: {
    name: 'cast',
    arity: 1,
    attrs: z.strictObject({ dtype: dtypeSchema }),
    traits: { elementwise: true, cost: 1 },
    inferType([x], { dtype }) {
      return { dtype, shape: [...x!.shape] };
    },
  } satisfies BuiltinOpDef<'cast'>,
};
