import { type Graph, GraphBuilder } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';
import { createCBackend, renderCProgram } from '../src/index.js';
import { agreesWithReference, fusedFor, wavyInputs } from './reference-check.js';

// Convolutions run as an implicit GEMM on the matmul micro-kernel (rows = output channels,
// columns = output pixels, K = input channel x window), the window packed im2col-style through
// its guarded loads, the bias and relu applied on the tile.
const probe = createCBackend();

interface Conv {
  name: string;
  x: number[];
  w: number[];
  strides: number[];
  dilations: number[];
  pads: [number, number][];
  groups?: number;
}

function graphOf(c: Conv): Graph {
  const b = new GraphBuilder('conv');
  const x = b.input('x', { dtype: 'float32', shape: c.x });
  const w = b.input('w', { dtype: 'float32', shape: c.w });
  const bias = b.input('b', { dtype: 'float32', shape: [c.w[0]!] });
  const attrs = { pads: c.pads, strides: c.strides, dilations: c.dilations, groups: c.groups ?? 1 };
  const y = b.op('conv', [x, w], attrs);
  const shifted = b.op('add', [y, b.op('reshape', [bias], { shape: [c.w[0]!, 1, 1] })]);
  return b.output(b.op('relu', [shifted])).build();
}

const CASES: Conv[] = [
  // W7's second block: 8 -> 16 channels, 3x3, zero pad 1, 14 x 14 (196 columns: a partial panel).
  {
    name: 'same-3x3',
    x: [3, 8, 14, 14],
    w: [16, 8, 3, 3],
    strides: [1, 1],
    dilations: [1, 1],
    pads: [
      [1, 1],
      [1, 1],
    ],
  },
  // One input channel, 9 output channels (a partial row block), strided and asymmetric padding.
  {
    name: 'strided',
    x: [2, 1, 11, 9],
    w: [9, 1, 3, 2],
    strides: [2, 1],
    dilations: [1, 1],
    pads: [
      [0, 2],
      [1, 0],
    ],
  },
  {
    name: 'dilated',
    x: [1, 3, 12, 12],
    w: [5, 3, 3, 3],
    strides: [1, 1],
    dilations: [2, 2],
    pads: [
      [2, 2],
      [2, 2],
    ],
  },
];

describe.skipIf(probe.unavailableReason !== undefined)('backend-c convolution as implicit GEMM', () => {
  for (const threads of [1, 2]) {
    for (const c of CASES) {
      it(`${c.name} agrees with the reference (${threads} thread${threads > 1 ? 's' : ''})`, async () => {
        const backend = createCBackend({ threads });
        const graph = graphOf(c);
        const program = lowerGraph(fusedFor(backend, graph));
        expect(renderCProgram(program).strategies).toEqual(['matmul']);
        await agreesWithReference(backend, graph, program, wavyInputs(graph, 7, -3));
      });
    }
  }
});
