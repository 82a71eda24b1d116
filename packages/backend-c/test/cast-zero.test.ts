import { GraphBuilder, interpret } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';
import { createCBackend } from '../src/index.js';

const c = createCBackend({ threads: 1 });

describe.skipIf(c.unavailableReason !== undefined)('backend-c casts', () => {
  // gcc with -fno-trapping-math turns (float)(int)x into truncf(x), which gives -0 for x in (-1, 0);
  // the int32 value is 0, and 0 as float32 is +0 (fuzz program 2138214216, found by differential:c).
  it('float -> int32 -> float of x in (-1, 0] is +0 (1/x is +Inf), in vector and scalar loops', () => {
    for (const n of [3, 37]) {
      const b = new GraphBuilder('f');
      const x = b.input('x', { dtype: 'float32', shape: [n] });
      const back = b.op('cast', [b.op('cast', [x], { dtype: 'int32' })], { dtype: 'float32' });
      const one = b.op('constant', [], { value: 1, dtype: 'float32' });
      const graph = b.output(b.op('div', [one, back])).build();
      for (const node of graph.nodes) node.group = 0;
      const program = lowerGraph(graph);
      const input = Float32Array.from({ length: n }, (_, i) => [-0.5, -0, -0.999, 0.5, -1.5][i % 5]!);
      const buffer = c.allocate('float32', n);
      c.upload(buffer, input);
      const [out] = c.compile(program).run([buffer]);
      const got = Array.from(c.download(out!));
      const want = Array.from(interpret(graph, [input])[0]!.data);
      expect(want.slice(0, 3)).toEqual([Infinity, Infinity, Infinity]);
      expect(got).toEqual(want);
    }
  });
});
