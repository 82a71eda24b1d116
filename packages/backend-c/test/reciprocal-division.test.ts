import { GraphBuilder, interpret } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';
import { createCBackend } from '../src/index.js';
import { renderCProgram } from '../src/render/program.js';

const c = createCBackend({ threads: 1 });
const COLS = 64;

/** x / sum(x, last axis) over [rows, COLS], one fused reduce kernel (softmax's division). */
function normalise(rows: number) {
  const b = new GraphBuilder('f');
  const x = b.input('x', { dtype: 'float32', shape: [rows, COLS] });
  const s = b.op('sum', [x], { axes: [1], keepdims: true });
  const graph = b.output(b.op('div', [x, s])).build();
  for (const node of graph.nodes) node.group = 0;
  return { graph, program: lowerGraph(graph) };
}

/** float32 ulps between a and b (both finite, same sign). */
function ulps(a: number, b: number): number {
  const bits = new Int32Array(new Float32Array([a, b]).buffer);
  return Math.abs(bits[0]! - bits[1]!);
}

describe.skipIf(c.unavailableReason !== undefined)('backend-c division by a row sum', () => {
  it('multiplies by the reciprocal, checked once per row', () => {
    const source = renderCProgram(normalise(2).program).source;
    expect(source).toMatch(/const float inv\d+ = 1\.0f \/ acc\d+;/);
    expect(source).toMatch(/invok\d+ \? v\d+ \* inv\d+ : v\d+ \/ acc\d+/);
  });

  it('is within 1.5 ulp of the quotient, and exact where 1 / sum is not a normal float', () => {
    // Row sums that are exact in float32 whatever the order: small integers (normal), multiples of
    // 2^-149 (a subnormal sum), multiples of 2^120 (a sum above 2^126), and a zero sum.
    const rows: number[][] = [
      Array.from({ length: COLS }, (_, i) => (i * 7) % 13),
      Array.from({ length: COLS }, (_, i) => ((i % 5) + 1) * 2 ** -149),
      Array.from({ length: COLS }, (_, i) => ((i % 7) + 1) * 2 ** 120),
      Array.from({ length: COLS }, () => 0),
    ];
    const input = Float32Array.from(rows.flat());
    const { graph, program } = normalise(rows.length);
    const buffer = c.allocate('float32', input.length);
    c.upload(buffer, input);
    const [out] = c.compile(program).run([buffer]);
    const got = c.download(out!) as Float32Array;
    const want = interpret(graph, [input])[0]!.data as Float32Array;
    const at = (r: number) => [r * COLS, (r + 1) * COLS] as const;

    let worst = 0;
    for (let i = at(0)[0]; i < at(0)[1]; i++) worst = Math.max(worst, ulps(got[i]!, want[i]!));
    expect(worst).toBeLessThanOrEqual(1);
    for (const r of [1, 2]) {
      const [lo, hi] = at(r);
      // The multiply would differ here (1 / sum overflows or is subnormal): the exact path ran.
      const sum = Math.fround(rows[r]!.reduce((a, v) => a + v, 0));
      const product = rows[r]!.map((v) => Math.fround(v * Math.fround(1 / sum)));
      expect(product.some((p, k) => p !== want[lo + k])).toBe(true);
      expect(Array.from(got.subarray(lo, hi))).toEqual(Array.from(want.subarray(lo, hi)));
    }
    expect(Array.from(got.subarray(...at(3))).every(Number.isNaN)).toBe(true); // 0 / 0
  });
});
