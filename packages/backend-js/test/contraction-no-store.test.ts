import { execute } from '@paradox/backend-conformance';
import { jsBackend } from '@paradox/backend-js';
import { GraphBuilder } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';

describe('tiled contraction', () => {
  it('a batched contraction kernel whose stores were removed still renders its operand offsets', async () => {
    // Regression (fuzz compile:js, seed 1550176663 #2379): with no store nothing "used" the operand
    // index forms, so the k loop read a batch offset (t0_0) that was never declared: ReferenceError.
    const b = new GraphBuilder('bmm');
    const x = b.input('x', { dtype: 'float32', shape: [2, 3, 4] });
    const w = b.input('w', { dtype: 'float32', shape: [2, 4, 5] });
    const keep = b.op('exp', [x]);
    const graph = b.output(b.op('matmul', [x, w]), keep).build();
    const program = structuredClone(lowerGraph(graph));
    const k = program.kernels.find((kernel) => kernel.kind === 'contraction')!;
    k.stores = [];
    const data = [
      Float32Array.from({ length: 24 }, (_, i) => i / 8),
      Float32Array.from({ length: 40 }, (_, i) => i / 16),
    ];
    const got = await execute(jsBackend, jsBackend.compile(program), program, data);
    expect(Array.from(got[1]!)).toEqual(Array.from(data[0]!, (v) => Math.fround(Math.exp(v))));
  });
});
