import { type Graph, GraphBuilder } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';
import { createCBackend, renderCProgram } from '../src/index.js';
import { agreesWithReference, fusedFor, wavyInputs } from './reference-check.js';

// The micro-kernel reads strided operands in place and packs the rest; these shapes reach every
// path with full panels (N >= 32 columns), partial last panels and rows past the last full MR
// block, which the conformance suite's small matmuls do not.
const probe = createCBackend();
/** An operand: stored transposed, or as rows regrouped from a [5, rows / 5, k] transpose (div/mod index). */
type Operand = { shape: number[]; transposed?: boolean; regrouped?: boolean };

function graphOf(a: Operand, w: Operand, bias?: number): Graph {
  const b = new GraphBuilder('mm');
  const regrouped = ([rows, k]: [number, number]) => {
    const x = b.input('a', { dtype: 'float32', shape: [5, rows / 5, k] });
    return b.op('reshape', [b.op('transpose', [x], { perm: [1, 0, 2] })], { shape: [rows, k] });
  };
  const operand = (o: Operand, name: string) => {
    const stored = o.transposed ? [...o.shape.slice(0, -2), o.shape.at(-1)!, o.shape.at(-2)!] : o.shape;
    if (o.regrouped) return regrouped(o.shape as [number, number]);
    let v = b.input(name, { dtype: 'float32', shape: stored });
    if (o.transposed) {
      const perm = stored.map((_, i) => i);
      [perm[perm.length - 2], perm[perm.length - 1]] = [perm.length - 1, perm.length - 2];
      v = b.op('transpose', [v], { perm });
    }
    return v;
  };
  let y = b.op('matmul', [operand(a, 'a'), operand(w, 'w')]);
  if (bias !== undefined)
    y = b.op('relu', [b.op('add', [y, b.input('b', { dtype: 'float32', shape: [bias] })])]);
  return b.output(y).build();
}

const CASES: {
  name: string;
  a: Operand;
  w: Operand;
  bias?: number;
  readsInPlace: RegExp[];
  packs: RegExp[];
}[] = [
  // Both in place; 70 columns = full panels and a partial one; 19 rows = a partial MR block.
  {
    name: 'row-major',
    a: { shape: [19, 40] },
    w: { shape: [40, 70] },
    bias: 70,
    readsInPlace: [/const float\* A = /, /const float\* B = /],
    packs: [],
  },
  // A transposed: still strided (k stride 19), read in place; B transposed: n stride 40, packed.
  {
    name: 'transposed',
    a: { shape: [19, 40], transposed: true },
    w: { shape: [40, 70], transposed: true },
    readsInPlace: [/const float\* A = /],
    packs: [/float\* to = PB \+ k \* LDB/],
  },
  // The same at 1 << 22 multiply-adds or more, where the packs, max passes and tiles are split
  // between threads.
  {
    name: 'transposed, threaded',
    a: { shape: [131, 301], transposed: true },
    w: { shape: [301, 110], transposed: true },
    readsInPlace: [/const float\* A = /],
    packs: [/float\* to = PB \+ k \* LDB/, /#pragma omp parallel for/],
  },
  // A's rows regrouped (div/mod index): packed through its expression.
  {
    name: 'regrouped',
    a: { shape: [45, 33], regrouped: true },
    w: { shape: [33, 64] },
    readsInPlace: [/const float\* B = /],
    packs: [/PA\[\(ip \*/],
  },
  // Batched, the weights broadcast over the batch.
  {
    name: 'batched',
    a: { shape: [3, 10, 17] },
    w: { shape: [17, 48] },
    readsInPlace: [/const float\* A = /, /const float\* B = /],
    packs: [],
  },
];

describe.skipIf(probe.unavailableReason !== undefined)('backend-c matmul paths', () => {
  for (const threads of [1, 2]) {
    for (const c of CASES) {
      it(`${c.name} agrees with the reference (${threads} thread${threads > 1 ? 's' : ''})`, async () => {
        const backend = createCBackend({ threads });
        const graph = graphOf(c.a, c.w, c.bias);
        const program = lowerGraph(fusedFor(backend, graph));
        const rendered = renderCProgram(program);
        expect(rendered.strategies).toContain('matmul');
        for (const re of [...c.readsInPlace, ...c.packs]) expect(rendered.source).toMatch(re);
        await agreesWithReference(backend, graph, program, wavyInputs(graph, 5, -2));
      });
    }
  }
});
