import { type BinaryOp, type DType, type RuleSyntax, reduceDef, type UnaryOp } from '@paradox/ir';
import { F32, type FunctionBody, I32 } from '../encoder/function-body.js';
import type { ValType } from '../encoder/module.js';
import { Op, SimdOp } from '../encoder/opcodes.js';
import type { HelperName } from './helpers.js';
import type { MathFn } from './simd-math.js';

/**
 * Scalar wasm for every op, one rule per op (a missing rule is a compile error). Operands are locals
 * holding a value of their dtype: float32 as f32, int32 as i32, bool as i32 0 or 1. Each rule leaves
 * the result on the stack. Semantics follow @paradox/ir's reference numerics (f32 arithmetic is
 * IEEE float32, which is what the reference's rounding of each double result gives).
 */
export type Dt = Exclude<DType, 'float16'>;

export interface OpContext {
  b: FunctionBody;
  /** Function index of an imported helper. */
  helper(name: HelperName): number;
  /** Function index of the module's f32x4 math function, when the module has SIMD. */
  math?(fn: MathFn): number;
}

export const valType = (d: Dt): ValType => (d === 'float32' ? F32 : I32);
const isFloat = (d: Dt) => d === 'float32';

/** f32 operand -> f64 helper -> f32. */
const viaF64 =
  (name: HelperName) =>
  (c: OpContext, a: number): void => {
    c.b.get(a).op(Op.f64PromoteF32).call(c.helper(name)).op(Op.f32DemoteF64);
  };

/** exp/log/tanh/sigmoid: lane 0 of the module's vector function when there is one (scalar and vector code agree). */
const viaMath =
  (fn: MathFn, fallback: (c: OpContext, a: number) => void) =>
  (c: OpContext, a: number): void => {
    if (!c.math) {
      fallback(c, a);
      return;
    }
    c.b.get(a).simd(SimdOp.f32x4Splat).call(c.math(fn)).lane(SimdOp.f32x4ExtractLane, 0);
  };

type UnaryRule = (c: OpContext, a: number, d: Dt) => void;
type BinaryRule = (c: OpContext, a: number, b: number, d: Dt) => void;

const intAbs = (c: OpContext, a: number) =>
  c.b.get(a).get(a).i32(31).op(Op.i32ShrS).op(Op.i32Xor).get(a).i32(31).op(Op.i32ShrS).op(Op.i32Sub);

export const UNARY: { [P in UnaryOp]: UnaryRule } = {
  neg: (c, a, d) => (isFloat(d) ? c.b.get(a).op(Op.f32Neg) : c.b.i32(0).get(a).op(Op.i32Sub)),
  abs: (c, a, d) => (isFloat(d) ? c.b.get(a).op(Op.f32Abs) : intAbs(c, a)),
  exp: viaMath('exp', viaF64('exp')),
  log: viaMath('log', viaF64('log')),
  sin: viaF64('sin'),
  cos: viaF64('cos'),
  tanh: viaMath('tanh', viaF64('tanh')),
  sqrt: (c, a) => c.b.get(a).op(Op.f32Sqrt),
  // In double, as the reference: one rounding of 1/sqrt(x).
  rsqrt: (c, a) => c.b.f64(1).get(a).op(Op.f64PromoteF32).op(Op.f64Sqrt).op(Op.f64Div).op(Op.f32DemoteF64),
  sigmoid: viaMath('sigmoid', (c, a) => {
    c.b.f64(1).f64(1).get(a).op(Op.f32Neg).op(Op.f64PromoteF32).call(c.helper('exp'));
    c.b.op(Op.f64Add).op(Op.f64Div).op(Op.f32DemoteF64);
  }),
  // max(x, +0): NaN stays NaN, -0 becomes +0.
  relu: (c, a, d) =>
    isFloat(d)
      ? c.b.get(a).f32(0).op(Op.f32Max)
      : c.b.get(a).i32(0).get(a).i32(0).op(Op.i32GtS).op(Op.select),
  floor: (c, a, d) => (isFloat(d) ? c.b.get(a).op(Op.f32Floor) : c.b.get(a)),
  ceil: (c, a, d) => (isFloat(d) ? c.b.get(a).op(Op.f32Ceil) : c.b.get(a)),
  // +-1 for nonzero numbers; +-0 and NaN unchanged.
  sign: (c, a, d) =>
    isFloat(d)
      ? c.b.f32(1).get(a).op(Op.f32Copysign).get(a).get(a).op(Op.f32Abs).f32(0).op(Op.f32Gt).op(Op.select)
      : c.b.get(a).i32(0).op(Op.i32GtS).get(a).i32(0).op(Op.i32LtS).op(Op.i32Sub),
  not: (c, a) => c.b.get(a).i32(1).op(Op.i32Xor),
};

const native =
  (f: number, i: number): BinaryRule =>
  (c, a, b, d) =>
    c.b
      .get(a)
      .get(b)
      .op(isFloat(d) ? f : i);

const helper2 =
  (floatHelper: HelperName, intHelper: HelperName): BinaryRule =>
  (c, a, b, d) => {
    if (isFloat(d)) {
      c.b.get(a).op(Op.f64PromoteF32).get(b).op(Op.f64PromoteF32).call(c.helper(floatHelper));
      c.b.op(Op.f32DemoteF64);
    } else c.b.get(a).get(b).call(c.helper(intHelper));
  };

const intSelect =
  (cmp: number): BinaryRule =>
  (c, a, b) =>
    c.b.get(a).get(b).get(a).get(b).op(cmp).op(Op.select);

export const BINARY: { [P in BinaryOp]: BinaryRule } = {
  add: native(Op.f32Add, Op.i32Add),
  sub: native(Op.f32Sub, Op.i32Sub),
  mul: native(Op.f32Mul, Op.i32Mul),
  div: (c, a, b, d) =>
    isFloat(d) ? native(Op.f32Div, 0)(c, a, b, d) : c.b.get(a).get(b).call(c.helper('idiv')),
  pow: helper2('fpow', 'ipow'),
  mod: helper2('fmod', 'imod'),
  // f32.max/min propagate NaN and order -0 < +0, as the reference does; on bool they are or/and.
  maximum: (c, a, b, d) => (isFloat(d) ? native(Op.f32Max, 0)(c, a, b, d) : intSelect(Op.i32GtS)(c, a, b, d)),
  minimum: (c, a, b, d) => (isFloat(d) ? native(Op.f32Min, 0)(c, a, b, d) : intSelect(Op.i32LtS)(c, a, b, d)),
  eq: native(Op.f32Eq, Op.i32Eq),
  ne: native(Op.f32Ne, Op.i32Ne),
  lt: native(Op.f32Lt, Op.i32LtS),
  le: native(Op.f32Le, Op.i32LeS),
  gt: native(Op.f32Gt, Op.i32GtS),
  ge: native(Op.f32Ge, Op.i32GeS),
  and: native(Op.i32And, Op.i32And),
  or: native(Op.i32Or, Op.i32Or),
};

/** Conversion `from` -> `to`: int->float rounds, float->int32 truncates (NaN 0, saturating), ->bool is != 0. */
export function emitCast(c: OpContext, a: number, from: Dt, to: Dt): void {
  c.b.get(a);
  if (from === to) return;
  if (to === 'float32') c.b.op(Op.f32ConvertI32S);
  else if (to === 'int32') {
    if (from === 'float32') c.b.truncSat();
  } else if (from === 'float32') c.b.f32(0).op(Op.f32Ne);
  else c.b.i32(0).op(Op.i32Ne);
}

/** Something that pushes one value onto the wasm stack: the operands and results of a spelled rule. */
type Push = () => void;

/** Pushes the registry's argmax rule (`takes`) over f64 locals: does local `v` replace local `best`? */
export function pushArgmaxTakes(b: FunctionBody, v: number, best: number): void {
  const binary =
    (op: number) =>
    (x: Push, y: Push): Push =>
    () => {
      x();
      y();
      b.op(op);
    };
  const rules: RuleSyntax<Push, Push> = {
    gt: binary(Op.f64Gt),
    isNaN: (x) => binary(Op.f64Ne)(x, x),
    notNaN: (x) => binary(Op.f64Eq)(x, x),
    and: binary(Op.i32And),
    or: binary(Op.i32Or),
  };
  reduceDef('argmax').takes!(
    () => b.get(v),
    () => b.get(best),
    rules,
  )();
}
