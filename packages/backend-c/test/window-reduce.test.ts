import { type Graph, GraphBuilder } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';
import { createCBackend, renderCProgram } from '../src/index.js';
import { agreesWithReference, fusedFor, wavyInputs } from './reference-check.js';

// Pooling windows fold per output element inside a vector loop over the output row ('window'
// strategy) instead of one scalar loop per element.
const probe = createCBackend();

const pool = (
  op: 'maxPool' | 'avgPool',
  kernel: number[],
  strides: number[],
  pads: [number, number][],
): Graph => {
  const b = new GraphBuilder('pool');
  const x = b.input('x', { dtype: 'float32', shape: [2, 3, 13, 17] });
  const attrs: Record<string, unknown> = { kernel, strides, dilations: [1, 1], pads, ceilMode: false };
  if (op === 'avgPool') attrs.countIncludePad = false;
  return b.output(b.op(op, [x], attrs)).build();
};

const CASES: { name: string; graph: () => Graph }[] = [
  {
    name: 'max 2x2 stride 2',
    graph: () =>
      pool(
        'maxPool',
        [2, 2],
        [2, 2],
        [
          [0, 0],
          [0, 0],
        ],
      ),
  },
  {
    name: 'max 3x3 padded',
    graph: () =>
      pool(
        'maxPool',
        [3, 3],
        [1, 1],
        [
          [1, 1],
          [1, 1],
        ],
      ),
  },
  {
    name: 'average 3x2',
    graph: () =>
      pool(
        'avgPool',
        [3, 2],
        [2, 1],
        [
          [1, 0],
          [0, 1],
        ],
      ),
  },
];

describe.skipIf(probe.unavailableReason !== undefined)('backend-c small-window reductions', () => {
  for (const threads of [1, 2]) {
    for (const c of CASES) {
      it(`${c.name} agrees with the reference (${threads} thread${threads > 1 ? 's' : ''})`, async () => {
        const backend = createCBackend({ threads });
        const graph = c.graph();
        const program = lowerGraph(fusedFor(backend, graph));
        expect(renderCProgram(program).strategies).toContain('window');
        const inputs = wavyInputs(graph, 11, Number.NaN);
        inputs[0]![5] = -0;
        inputs[0]![6] = 0;
        await agreesWithReference(backend, graph, program, inputs);
      });
    }
  }
});
