import '@paradox/backend-js';
import { GraphBuilder, interpret, VerifyError } from '@paradox/ir';
import { type Tensor, type TraceInterpreter, tensor, trace, withTraceInterpreter } from '@paradox/tracer';
import { describe, expect, it } from 'vitest';
import { jitGraph } from '../src/index.js';

describe('jitGraph', () => {
  it('compiles a graph a transformation produced (a trace interpreter rewriting add into sub)', () => {
    const rewrite: TraceInterpreter = {
      applyPrimitive: (op, inputs, attrs, next) => next(op === 'add' ? 'sub' : op, inputs, attrs),
    };
    const graph = trace(
      (x: Tensor, y: Tensor) => withTraceInterpreter(rewrite, () => x.mul(y).add(x).relu()),
      tensor([1, 2, 3]),
      tensor([4, 5, 6]),
    );
    expect(graph.nodes.map((n) => n.op)).toEqual(['mul', 'sub', 'relu']);
    const compiled = jitGraph(graph);
    const out = compiled.run(tensor([1, -2, 3]), tensor([4, 5, 0.5])) as Tensor;
    // relu(x*y - x)
    expect(Array.from(out.dataSync())).toEqual([3, 0, 0]);
    const [want] = interpret(graph, [
      { dtype: 'float32', shape: [3], data: Float32Array.from([1, -2, 3]) },
      { dtype: 'float32', shape: [3], data: Float32Array.from([4, 5, 0.5]) },
    ]);
    expect(Array.from(out.dataSync())).toEqual(Array.from(want!.data));
    expect(compiled.inspect().kernelCount).toBe(1);
  });

  it('returns one tensor per output, and checks its arguments', () => {
    const b = new GraphBuilder('two');
    const x = b.input('x', { dtype: 'int32', shape: [2] });
    const graph = b.output(b.op('neg', [x]), b.op('mul', [x, x])).build();
    const [neg, square] = jitGraph(graph).run(tensor([3, -4], [2], 'int32')) as Tensor[];
    expect(Array.from(neg!.dataSync())).toEqual([-3, 4]);
    expect(Array.from(square!.dataSync())).toEqual([9, 16]);
    expect(() => jitGraph(graph).run(tensor([1, 2, 3], [3], 'int32'))).toThrow(/shape \[2\] -> \[3\]/);
  });

  it('rejects a malformed graph with VerifyError', () => {
    const b = new GraphBuilder('bad');
    const x = b.input('x', { dtype: 'float32', shape: [2] });
    const graph = b.output(b.op('exp', [x])).build();
    graph.outputs = ['nowhere'];
    expect(() => jitGraph(graph)).toThrow(VerifyError);
  });
});
