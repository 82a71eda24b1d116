import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  decomposeOps,
  type Graph,
  GraphBuilder,
  interpret,
  OpRegistrationError,
  registerOp,
  unregisterOp,
} from '../src/index.js';

// Ops registered here, outside the built-in set: `square` decomposes into mul, `quad` into two
// squares (a decomposition using another decomposable op), `twisted` into a value of the wrong
// type, `loop` into itself.
const elementwise = (name: string, decompose: Parameters<typeof registerOp>[0]['decompose'], power = 2) =>
  registerOp({
    name,
    arity: 1,
    attrs: z.strictObject({}),
    traits: { elementwise: true, cost: 1 },
    inferType: ([x]) => ({ dtype: x!.dtype, shape: [...x!.shape] }),
    evaluate: ([x], _attrs, out) => ({ ...out, data: x!.data.map((v) => v ** power) }),
    decompose,
  });

elementwise('square', (b, [x]) => b.op('mul', [x!, x!]));
elementwise('quad', (b, [x]) => b.op('square', [b.op('square', [x!])]), 4);
elementwise('twisted', (b, [x]) => b.op('cast', [x!], { dtype: 'int32' }));
elementwise('loop', (b, [x]) => b.op('loop', [x!]));
afterAll(() => {
  for (const op of ['square', 'quad', 'twisted', 'loop']) unregisterOp(op);
});

const unaryGraph = (op: string): Graph => {
  const b = new GraphBuilder('g');
  const x = b.input('x', { dtype: 'float32', shape: [3] });
  return b.output(b.op('neg', [b.op(op, [x])])).build();
};
const x = { dtype: 'float32' as const, shape: [3], data: Float32Array.from([1, -2, 0.5]) };

describe('decomposeOps', () => {
  it('returns a graph without decomposable ops as it is', () => {
    const g = unaryGraph('exp');
    expect(decomposeOps(g)).toBe(g);
  });

  it('expands ops into built-ins, recursively, computing what the op computes', () => {
    const g = unaryGraph('quad');
    const expanded = decomposeOps(g);
    expect(expanded.nodes.map((n) => n.op)).toEqual(['mul', 'mul', 'neg']);
    expect(Array.from(interpret(expanded, [x])[0]!.data)).toEqual([-1, -16, -0.0625]);
    expect(Array.from(interpret(g, [x])[0]!.data)).toEqual([-1, -16, -0.0625]);
  });

  it('keeps the fusion group and source of the node it replaces', () => {
    const g = unaryGraph('square');
    g.nodes[0]!.group = 4;
    g.nodes[0]!.source = { file: 'user.ts', line: 7 };
    const [mul] = decomposeOps(g).nodes;
    expect(mul).toMatchObject({ op: 'mul', group: 4, source: { file: 'user.ts', line: 7 } });
  });

  it('rejects a decomposition of the wrong type and one that never ends', () => {
    expect(() => decomposeOps(unaryGraph('twisted'))).toThrow(OpRegistrationError);
    expect(() => decomposeOps(unaryGraph('twisted'))).toThrow(/int32\[3\], the op's type is float32\[3\]/);
    expect(() => decomposeOps(unaryGraph('loop'))).toThrow(/after 32 rounds/);
  });
});
