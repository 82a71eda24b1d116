import { requireDTypes } from '../shape-rules.js';
import { type BuiltinOpDef, isFloating, noAttrs } from './define.js';

/** The arithmetic erf's formula is written in: numbers to evaluate it, kernel exprs to lower it. */
export interface ArithSyntax<V> {
  constant(c: number): V;
  add(a: V, b: V): V;
  mul(a: V, b: V): V;
  div(a: V, b: V): V;
  /** NaN-propagating min and max (as the minimum/maximum ops). */
  min(a: V, b: V): V;
  max(a: V, b: V): V;
}

// Rational minimax approximation of erf on [-4, 4] in float32 (Eigen's generic_fast_erf_float,
// also XLA's): an odd numerator over an even denominator, a few float32 ulp from the exact value.
// Outside [-4, 4], erf rounds to +-1 in float32, so the operand is clamped there.
const NUMERATOR = [
  -2.72614225801306e-10, 2.77068142495902e-8, -2.10102402082508e-6, -5.69250639462346e-5,
  -7.34990630326855e-4, -2.95459980854025e-3, -1.60960333262415e-2,
];
const DENOMINATOR = [
  -1.45660718464996e-5, -2.13374055278905e-4, -1.68282697438203e-3, -7.37332916720468e-3,
  -1.42647390514189e-2,
];
const CLAMP = 4;

/**
 * erf(x) as float32 arithmetic, the one definition every evaluator and backend uses: the
 * interpreter evaluates it over numbers and lowering spells it as kernel exprs, so no renderer
 * needs an erf of its own. NaN stays NaN; +-Infinity gives +-1.
 */
export function erfFormula<V>(x: V, s: ArithSyntax<V>): V {
  const xc = s.max(s.min(x, s.constant(CLAMP)), s.constant(-CLAMP));
  const x2 = s.mul(xc, xc);
  const horner = (coefs: number[]) =>
    coefs.slice(1).reduce((acc, c) => s.add(s.mul(x2, acc), s.constant(c)), s.constant(coefs[0]!));
  return s.div(s.mul(xc, horner(NUMERATOR)), horner(DENOMINATOR));
}

/** The Gauss error function, elementwise on float operands (float16 computes in float32). */
export const erfOps = {
  erf: {
    name: 'erf',
    arity: 1,
    attrs: noAttrs,
    traits: { elementwise: true, cost: 12 },
    inferType([x]) {
      requireDTypes('erf', [x!], isFloating, 'float (cast int32 to float32 first)');
      return { dtype: x!.dtype, shape: [...x!.shape] };
    },
  } satisfies BuiltinOpDef<'erf'>,
};
