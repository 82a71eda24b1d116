import type { ReduceFn } from '@paradox/ir';
import type { Accumulator } from './reductions.js';
import type { Lines } from './source_writer.js';

/** The folds the quick path takes: float32 max and min. */
export const orderFold = (fn: ReduceFn): fn is 'max' | 'min' => fn === 'max' || fn === 'min';

/** Bits above this (magnitude) are a NaN. */
const INF_BITS = '0x7f800000u';
/**
 * Lanes of the quick fold (at most the pass's own): one AVX-512 register each for the values and
 * the probe. Its step is one maxps, so one chain keeps up; wider, GCC 12 kept some lanes on the
 * stack (softmax's kernel on [1024,1024]: 521 us with 64 lanes, 490 us with 16).
 */
const QUICK_LANES = 16;

export interface QuickOrderParts {
  /** The identity literal of each reduce (its accumulator's start value). */
  identity: string[];
  /** Renders the loop over the full blocks, folding into the given lane accumulators `width` at a time. */
  blocks(lanes: Accumulator[], width: number): void;
  /** Renders the exact lane fold (its result in the accumulators `names`). */
  exact(): void;
}

/**
 * A float32 max/min pass in two steps. First every lane folds with one compare-and-select (`a > v ?
 * a : v`: x86's maxps/minps; a NaN is dropped, zeros compare equal) and keeps the largest
 * magnitude's bits (any NaN shows as bits above Inf's); the lanes combine by halving (vector
 * steps, no serial walk over W lanes). That result is exact unless the row holds a NaN (the result
 * must be NaN) or the result is a zero (its sign follows the signed-zero rules): only then the
 * exact fold runs over the row again. The accumulators `names` (declared, at their identity) hold
 * the pass's results afterwards, before the tail (reduceSize % W points) folds into them.
 */
export function quickOrderFold(
  out: Lines,
  fns: readonly ('max' | 'min')[],
  names: readonly string[],
  W: number,
  bits: (v: string) => string,
  parts: QuickOrderParts,
): void {
  const lanes = Math.min(W, QUICK_LANES);
  const quick = names.map((n) => `${n}_quick`);
  const probe = names.map((n) => `${n}_probe`);
  const select = (j: number, a: string, b: string): string =>
    `${a} ${fns[j] === 'max' ? '>' : '<'} ${b} ? ${a} : ${b}`;
  const wider = (a: string, b: string): string => `${a} > ${b} ? ${a} : ${b}`;
  names.forEach((_, j) => {
    out.push(`float ${quick[j]}[${lanes}];`, `unsigned ${probe[j]}[${lanes}];`);
    out.push(
      `for (int l = 0; l < ${lanes}; ++l) { ${quick[j]}[l] = ${parts.identity[j]}; ${probe[j]}[l] = 0u; }`,
    );
  });
  const accs = names.map((_, j): Accumulator => {
    const q = `${quick[j]}[l]`;
    const p = `${probe[j]}[l]`;
    return {
      declare: () => [],
      update: (v) =>
        `${q} = ${select(j, q, v)}; { const unsigned m = ${bits(v)} & 0x7fffffffu; ${p} = ${wider(p, 'm')}; }`,
      combine: () => '',
      variables: [q],
      types: ['float'],
      identity: [parts.identity[j]!],
      result: q,
      emptyResult: parts.identity[j]!,
    };
  });
  parts.blocks(accs, lanes);
  for (let h = lanes / 2; h >= 1; h /= 2) {
    out.push('#pragma omp simd');
    out.block(`for (int l = 0; l < ${h}; ++l)`, () => {
      names.forEach((_, j) => {
        const [q, p] = [`${quick[j]}[l]`, `${probe[j]}[l]`];
        out.push(`${q} = ${select(j, q, `${quick[j]}[l + ${h}]`)};`);
        out.push(`${p} = ${wider(p, `${probe[j]}[l + ${h}]`)};`);
      });
    });
  }
  const redo = names.map((_, j) => `${probe[j]}[0] > ${INF_BITS} || ${quick[j]}[0] == 0.0f`).join(' || ');
  out.block(`if (${redo})`, () => parts.exact());
  out.block('else', () => {
    for (const [j, n] of names.entries()) out.push(`${n} = ${quick[j]}[0];`);
  });
}
