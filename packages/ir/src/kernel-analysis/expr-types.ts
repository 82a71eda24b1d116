import type { DType } from '../dtype.js';
import type { ScalarExpr } from '../kernel.js';
import { getOp, hasOp } from '../registry.js';

/** Registry fact: the op's result is bool (checked for an unknown fn too: programs may be hostile). */
const isComparison = (fn: string): boolean => hasOp(fn) && getOp(fn).traits.comparison === true;

/** The dtype rules of one scalar expr given its operands' dtypes; `fail` reports a violation. */
export function checkExprTypes(
  e: ScalarExpr,
  i: number,
  dt: (o: number) => DType,
  fail: (r: string, i: number) => never,
): void {
  switch (e.op) {
    case 'unary':
      if (dt(e.a) !== e.dtype) fail(`${e.fn} of ${dt(e.a)} must have dtype ${dt(e.a)}, has ${e.dtype}`, i);
      if (e.fn === 'not' && e.dtype !== 'bool') fail('not needs a bool operand', i);
      break;
    case 'binary': {
      if (dt(e.a) !== dt(e.b))
        fail(`${e.fn} operands differ in dtype (${dt(e.a)} vs ${dt(e.b)}); lowering must cast`, i);
      const want = isComparison(e.fn) ? 'bool' : dt(e.a);
      if (e.dtype !== want) fail(`${e.fn} of ${dt(e.a)} must have dtype ${want}, has ${e.dtype}`, i);
      if ((e.fn === 'and' || e.fn === 'or') && dt(e.a) !== 'bool') fail(`${e.fn} needs bool operands`, i);
      break;
    }
    case 'where':
      if (dt(e.c) !== 'bool') fail('where condition must be bool', i);
      if (dt(e.a) !== e.dtype || dt(e.b) !== e.dtype) fail(`where branches must both be ${e.dtype}`, i);
      break;
    case 'reduce': {
      const want = e.fn === 'argmax' ? 'int32' : dt(e.a);
      if (e.dtype !== want) fail(`reduce ${e.fn} of ${dt(e.a)} must have dtype ${want}, has ${e.dtype}`, i);
      break;
    }
    case 'random':
      if (e.dtype !== 'float32' && e.dtype !== 'float16') fail('random must be float', i);
      break;
    default:
      break;
  }
}
