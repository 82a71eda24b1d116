import { type DType, type ReduceFn, reduceDef } from '@paradox/ir';
import { binarySyntax, type CDialect, constLiteral, floatMinMax, registerType } from './c_family.js';

/**
 * Accumulator syntax of each reduce fn, shared by the serial and the block templates.
 * max/min propagate NaN; argmax keeps (value, position) with position -1 meaning "nothing seen
 * yet", picks NaN over numbers and the lower position on ties, so combining partial results in
 * any grouping gives the first maximum, as a sequential scan does.
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
    const float = dtype === 'float32';
    const lowest = identityLiteral;
    // Sequential scan: a strictly greater value, or the first NaN, replaces the best so far.
    const takes = (v: string): string =>
      float
        ? `${pos} < 0 || ${v} > ${best} || (${v} != ${v} && ${best} == ${best})`
        : `${pos} < 0 || ${v} > ${best}`;
    // Combining partials (ov, oi): NaN beats numbers; equal values: the lower position wins.
    const beats = (ov: string, oi: string): string =>
      float
        ? `${oi} >= 0 && (${pos} < 0 || (${ov} != ${ov} ? (${best} == ${best} || ${oi} < ${pos}) : ` +
          `(${best} == ${best} && (${ov} > ${best} || (${ov} == ${best} && ${oi} < ${pos})))))`
        : `${oi} >= 0 && (${pos} < 0 || ${ov} > ${best} || (${ov} == ${best} && ${oi} < ${pos}))`;
    return {
      declare: () => [`${T} ${best} = ${lowest};`, `int ${pos} = -1;`],
      update: (v, r) => `if (${takes(v)}) { ${best} = ${v}; ${pos} = ${r}; }`,
      combine: (other) => {
        const [ov, oi] = [other(best), other(pos)];
        return `if (${beats(ov, oi)}) { ${best} = ${ov}; ${pos} = ${oi}; }`;
      },
      variables: [best, pos],
      types: [T, 'int'],
      identity: [lowest, '-1'],
      result: `(${pos} < 0 ? 0 : ${pos})`,
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
