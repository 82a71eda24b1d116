import { type DType, isFloat, type MergeSyntax, NO_POSITION, type ReduceFn, reduceDef } from '@paradox/ir';
import { binarySyntax, type CDialect, constLiteral, floatMinMax, registerType } from './c_family.js';

/**
 * Accumulator syntax of each reduce fn, shared by the serial and the block templates.
 * max/min propagate NaN; argmax keeps (value, position) and folds and merges by the registry's
 * rules (`takes`, `merges`), spelled here in C.
 */
export interface Accumulator {
  /** Declarations of the accumulator variables (before the loop). */
  declare(): string[];
  /** Statement folding value `v` at reduction position `r` into the accumulator. */
  update(v: string, r: string): string;
  /** Statement folding another partial result (named with `other(...)`) into this one. */
  combine(other: (variable: string) => string): string;
  /** Accumulator variables (one, or two for argmax: value then position). */
  variables: string[];
  /** C register types of `variables`. */
  types: string[];
  /** Identity of each variable (what an idle lane contributes). */
  identity: string[];
  /** The reduce expr's value once complete. */
  result: string;
  /** Its value over an empty reduction domain. */
  emptyResult: string;
}

/** C spelling of the operations the registry's argmax rules are written in (floats and ints alike). */
const C_RULES: MergeSyntax<string, string, string> = {
  gt: (a, b) => `${a} > ${b}`,
  eq: (a, b) => `${a} == ${b}`,
  isNaN: (a) => `${a} != ${a}`,
  notNaN: (a) => `${a} == ${a}`,
  and: (a, b) => `(${a} && ${b})`,
  or: (a, b) => `(${a} || ${b})`,
  before: (i, j) => `${i} < ${j}`,
};

/**
 * `dtype` is the type of the values folded: the reduce's own dtype, except for argmax, whose
 * result is an int32 position but whose accumulator holds values of the operand's dtype.
 */
export function accumulator(fn: ReduceFn, dtype: DType, name: string, dialect: CDialect): Accumulator {
  const T = registerType(dtype);
  const lit = (v: number): string => constLiteral(v, dtype, dialect);
  // The fold's start value is the registry's identity (argmax: the lowest value).
  const identityLiteral = lit(reduceDef(fn).identity(dtype));
  if (fn === 'argmax') {
    const best = `${name}_value`;
    const pos = `${name}_index`;
    const nan = isFloat(dtype);
    const lowest = identityLiteral;
    const rule = reduceDef('argmax');
    // A partial that took nothing sits after every real position, so any element beats it.
    const none = String(NO_POSITION);
    return {
      declare: () => [`${T} ${best} = ${lowest};`, `int ${pos} = ${none};`],
      update: (v, r) => `if (${rule.takes!(v, best, C_RULES)}) { ${best} = ${v}; ${pos} = ${r}; }`,
      combine: (other) => {
        const [ov, oi] = [other(best), other(pos)];
        const merges = rule.merges!({ value: best, index: pos }, { value: ov, index: oi }, nan, C_RULES);
        return `if (${merges}) { ${best} = ${ov}; ${pos} = ${oi}; }`;
      },
      variables: [best, pos],
      types: [T, 'int'],
      identity: [lowest, none],
      result: `(${pos} == ${none} ? 0 : ${pos})`,
      emptyResult: '0',
    };
  }
  const acc = name;
  const identity = identityLiteral;
  let fold: (a: string, b: string) => string;
  switch (fn) {
    case 'sum':
    case 'prod': {
      const op = fn === 'sum' ? 'add' : 'mul';
      fold = (a, b) =>
        `${a} = ${dtype === 'bool' ? `(${binarySyntax(op, a, b, dtype).text}) != 0` : binarySyntax(op, a, b, dtype).text};`;
      break;
    }
    case 'max':
    case 'min': {
      const cmp = fn === 'max' ? '>' : '<';
      // Floats fold with the maximum/minimum op itself, so NaN and signed zeros come out as in
      // the reference's left fold.
      fold = (a, b) =>
        dtype === 'float32' ? `${a} = ${floatMinMax(fn, a, b)};` : `if (${b} ${cmp} ${a}) ${a} = ${b};`;
      break;
    }
  }
  return {
    declare: () => [`${T} ${acc} = ${identity};`],
    update: (v) => fold(acc, v),
    combine: (other) => fold(acc, other(acc)),
    variables: [acc],
    types: [T],
    identity: [identity],
    result: acc,
    emptyResult: identity,
  };
}
