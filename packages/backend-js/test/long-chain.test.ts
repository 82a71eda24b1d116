import { createJsBackend } from '@paradox/backend-js';
import { GraphBuilder, interpret } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';

describe('a 100,000-op elementwise chain in one kernel (#24 item 7)', () => {
  it('lowers, verifies, renders and runs without recursion (before: RangeError from ~2,000 ops)', () => {
    const b = new GraphBuilder('chain');
    const x = b.input('x', { dtype: 'float32', shape: [4] });
    const ops = ['sin', 'neg', 'tanh', 'abs'] as const;
    let v = x;
    for (let i = 0; i < 100_000; i++) v = b.op(ops[i % 4]!, [v]);
    const graph = b.output(v).build();
    for (const node of graph.nodes) node.group = 0; // one fusion group: one kernel
    const program = lowerGraph(graph);
    expect(program.kernels).toHaveLength(1);
    expect(program.kernels[0]!.exprs.length).toBeGreaterThan(100_000);
    const js = createJsBackend();
    const exe = js.compile(program);
    const input = Float32Array.from([-2, -0.5, 0.5, 3]);
    const buffer = js.allocate('float32', 4);
    js.upload(buffer, input);
    const got = js.download(exe.run([buffer])[0]!);
    const want = interpret(graph, [{ dtype: 'float32', shape: [4], data: input }])[0]!.data;
    expect([...got]).toEqual([...want]);
  }, 180_000);
});
