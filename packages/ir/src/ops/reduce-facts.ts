import type { DType } from '../dtype.js';
import type { ReduceFn } from '../kernel.js';

/**
 * The operations a rule is written in: numbers -> booleans to evaluate it, strings -> source text to
 * render it. A rule written once over this interface is evaluated by the interpreters and spelled by
 * the code generators, so they cannot disagree.
 */
export interface RuleSyntax<V, B> {
  gt(a: V, b: V): B;
  isNaN(a: V): B;
  notNaN(a: V): B;
  and(a: B, b: B): B;
  or(a: B, b: B): B;
}

/** What the parallel merge of argmax partials needs beyond RuleSyntax: value equality, position order. */
export interface MergeSyntax<V, I, B> extends RuleSyntax<V, B> {
  eq(a: V, b: V): B;
  /** Position `i` comes before position `j`. */
  before(i: I, j: I): B;
}

/** A partial argmax result: the best value of some subset of the positions and where it is. */
export interface ArgPartial<V, I> {
  readonly value: V;
  readonly index: I;
}

/**
 * The position of an argmax partial that has taken nothing yet: after every real position, so any
 * element beats it in a merge. The final result reads it as 0 (every value was the lowest one).
 */
export const NO_POSITION = 2147483647;

/** How a reduction folds values: declared on the reduce ops, read by every evaluator and renderer. */
export interface ReduceDef {
  /** The binary op folding one more element into the accumulator (argmax keeps a position instead). */
  readonly step?: 'add' | 'mul' | 'maximum' | 'minimum';
  /**
   * The accumulator's start value, the fold's identity: sum 0, prod 1, max the dtype's lowest value,
   * min its highest. argmax starts from the lowest value at position 0.
   */
  identity(dtype: DType): number;
  /**
   * argmax's rule: `v` replaces the best value so far when it is greater, or when it is NaN and the
   * best is not. So the first maximum wins and NaN counts as the maximum (its first occurrence wins).
   */
  takes?<V, B>(v: V, best: V, syntax: RuleSyntax<V, B>): B;
  /**
   * argmax's parallel merge: does partial `b` replace partial `a`? A total order on (value,
   * position): NaN first, then the greater value, then the earlier position. Merging partials of any
   * split of the positions in any grouping therefore gives what the sequential `takes` scan gives.
   * Partials start at (identity, NO_POSITION). `nan`: the values' dtype has NaN (else its terms go).
   */
  merges?<V, I, B>(a: ArgPartial<V, I>, b: ArgPartial<V, I>, nan: boolean, syntax: MergeSyntax<V, I, B>): B;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** The lowest value of a dtype (bool false = 0). */
export const lowestValue = (dtype: DType): number =>
  dtype === 'int32' ? INT32_MIN : dtype === 'bool' ? 0 : Number.NEGATIVE_INFINITY;

/** The highest value of a dtype (bool true = 1). */
export const highestValue = (dtype: DType): number =>
  dtype === 'int32' ? INT32_MAX : dtype === 'bool' ? 1 : Number.POSITIVE_INFINITY;

export const REDUCE_DEFS: { readonly [F in ReduceFn]: ReduceDef } = {
  sum: { step: 'add', identity: () => 0 },
  prod: { step: 'mul', identity: () => 1 },
  max: { step: 'maximum', identity: lowestValue },
  min: { step: 'minimum', identity: highestValue },
  argmax: {
    identity: lowestValue,
    takes: (v, best, s) => s.or(s.gt(v, best), s.and(s.isNaN(v), s.notNaN(best))),
    merges: (a, b, nan, s) => {
      const earlier = s.before(b.index, a.index);
      const greater = s.or(s.gt(b.value, a.value), s.and(s.eq(b.value, a.value), earlier));
      if (!nan) return greater;
      const nanFirst = s.and(s.isNaN(b.value), s.or(s.notNaN(a.value), earlier));
      return s.or(nanFirst, s.and(s.notNaN(a.value), greater));
    },
  },
};

/**
 * argmin, the mirror of argmax: `v` replaces the best value so far when it is smaller, or when it is
 * NaN and the best is not (first minimum wins; NaN counts as the minimum). Lowering computes it as
 * argmax over an order-reversing key (see the lower pass), so kernels need no fold of their own.
 */
export const ARGMIN_DEF: ReduceDef = {
  identity: highestValue,
  takes: (v, best, s) => s.or(s.gt(best, v), s.and(s.isNaN(v), s.notNaN(best))),
};

/** RuleSyntax over JS numbers, for evaluators. */
export const NUMBER_RULES: RuleSyntax<number, boolean> = {
  gt: (a, b) => a > b,
  isNaN: (a) => Number.isNaN(a),
  notNaN: (a) => !Number.isNaN(a),
  and: (a, b) => a && b,
  or: (a, b) => a || b,
};

/** The reduce facts of a kernel reduce fn (the graph op of the same name declares them). */
export const reduceDef = (fn: ReduceFn): ReduceDef => REDUCE_DEFS[fn];

/** argmax's rule on numbers: does `v` replace `best`? */
export const argmaxTakes = (v: number, best: number): boolean =>
  REDUCE_DEFS.argmax.takes!(v, best, NUMBER_RULES);

/** argmin's rule on numbers: does `v` replace `best`? */
export const argminTakes = (v: number, best: number): boolean => ARGMIN_DEF.takes!(v, best, NUMBER_RULES);

/** MergeSyntax over JS numbers, for evaluators and tests. */
export const NUMBER_MERGE_RULES: MergeSyntax<number, number, boolean> = {
  ...NUMBER_RULES,
  eq: (a, b) => a === b,
  before: (i, j) => i < j,
};

/** argmax's merge on numbers: does partial `b` replace partial `a`? */
export const argmaxMerges = (a: ArgPartial<number, number>, b: ArgPartial<number, number>): boolean =>
  REDUCE_DEFS.argmax.merges!(a, b, true, NUMBER_MERGE_RULES);
