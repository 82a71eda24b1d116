import { execute } from '@paradox/backend-conformance';
import { createWasmBackend } from '@paradox/backend-wasm';
import { GraphBuilder, interpret } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';

/** A float32 NaN with the sign bit set (what x86 produces for invalid operations). */
const NEGATIVE_NAN = new Float32Array(new Uint32Array([0xffc00000]).buffer)[0]!;

const ROWS = 10;

/**
 * Rows exercising the max/min rules: signed zeros, NaN of either sign, infinities, at varied lanes;
 * rows of one sign only (the bit-pattern accumulators pick their result by sign).
 */
function rows(cols: number): Float32Array {
  const data = new Float32Array(ROWS * cols);
  const row = (r: number, fill: (c: number) => number) => {
    for (let c = 0; c < cols; c++) data[r * cols + c] = fill(c);
  };
  row(0, (c) => (c === 5 ? 0 : c === 9 ? -0 : -1 - c));
  row(1, () => -0);
  row(2, (c) => (c === cols - 3 ? Number.NaN : Math.sin(c)));
  row(3, (c) => (c === 6 ? NEGATIVE_NAN : Math.cos(c) * 3));
  row(4, (c) => (c === 11 ? 2.5 : -Infinity));
  row(5, (c) => (c % 2 === 0 ? 0 : -0));
  row(6, (c) => (c === 1 ? Infinity : c === 2 ? -Infinity : c * 0.25 - 3));
  row(7, (c) => -1 - ((c * 7) % 11) * 0.5);
  row(8, (c) => 1e-3 + ((c * 5) % 13) * 0.25);
  row(9, (c) => (c === cols - 1 ? NEGATIVE_NAN : c === 0 ? Number.NaN : c - 2));
  return data;
}

describe('vector max/min reductions (integer keys, NaN lanes)', () => {
  for (const cols of [64, 37, 8, 5, 4]) {
    it(`match the reference bit for bit, signed zeros and NaN included (rows of ${cols})`, async () => {
      const backend = createWasmBackend();
      const b = new GraphBuilder('minmax');
      const x = b.input('x', { dtype: 'float32', shape: [ROWS, cols] });
      const graph = b
        .output(
          b.op('max', [x], { axes: [1], keepdims: false }),
          b.op('min', [x], { axes: [1], keepdims: false }),
        )
        .build();
      const program = lowerGraph(graph);
      const data = [rows(cols)];
      const got = (await execute(backend, backend.compile(program), program, data)) as Float32Array[];
      const want = interpret(graph, data).map((t) => t.data as Float32Array);
      for (const [o, w] of want.entries()) {
        for (let r = 0; r < ROWS; r++) {
          const g = got[o]![r]!;
          if (Number.isNaN(w[r]!)) expect(g, `output ${o} row ${r}`).toBeNaN();
          else expect(Object.is(g, w[r]), `output ${o} row ${r}: ${g}, want ${w[r]}`).toBe(true);
        }
      }
    });
  }
});
