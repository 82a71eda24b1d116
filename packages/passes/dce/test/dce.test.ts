import { GraphBuilder, interpret } from '@paradox/ir';
import { getPass } from '@paradox/pass-manager';
import { describe, expect, it } from 'vitest';
import { dcePass } from '../src/index.js';

const ctx = { options: {}, logger: { debug() {}, info() {}, warn() {} }, outputs: {} };

describe('dce', () => {
  it('registers itself as "dce" on import', () => {
    expect(getPass('dce')).toBe(dcePass);
  });

  it('compacts the buffer table and renumbers the constants that stay', () => {
    const b = new GraphBuilder('f');
    const x = b.input('x', { dtype: 'int32', shape: [2] });
    const c0 = b.constant([1, 1], [2], 'int32');
    const c1 = b.constant([10, 20], [2], 'int32');
    const c2 = b.constant([100, 200], [2], 'int32');
    b.op('add', [x, c0]);
    b.output(b.op('add', [b.op('mul', [x, c2]), c1]));
    const g = b.build();

    const { graph, changed, stats } = dcePass.run(g, ctx);
    expect(changed).toBe(true);
    expect(stats).toEqual({ nodesRemoved: 1, constantsRemoved: 1, buffersRemoved: 1 });
    expect(graph.constants.map((c) => [c.id, c.buffer])).toEqual([
      ['c1', 0],
      ['c2', 1],
    ]);
    expect(graph.buffers).toEqual([new Int32Array([10, 20]), new Int32Array([100, 200])]);
    expect(interpret(graph, [new Int32Array([3, 4])])[0]!.data).toEqual(new Int32Array([310, 820]));
    expect(g.buffers).toHaveLength(3); // the input graph keeps its table
  });

  it('keeps a buffer two live constants share', () => {
    const b = new GraphBuilder('f');
    const x = b.input('x', { dtype: 'float32', shape: [1] });
    b.constant([5], [1], 'float32');
    const c1 = b.constant([7], [1], 'float32');
    const g = b.output(b.op('add', [x, c1])).build();
    const shared = { ...g, constants: [...g.constants, { id: 'c9', type: g.constants[1]!.type, buffer: 1 }] };
    shared.nodes = [
      ...g.nodes,
      { id: '9', op: 'add', inputs: ['0', 'c9'], attrs: {}, type: g.nodes[0]!.type },
    ];
    shared.outputs = ['9'];
    const { graph } = dcePass.run(shared, ctx);
    expect(graph.buffers).toEqual([new Float32Array([7])]);
    expect(graph.constants.map((c) => c.buffer)).toEqual([0, 0]);
    expect(interpret(graph, [new Float32Array([1])])[0]!.data).toEqual(new Float32Array([15]));
  });

  it('returns the same graph object when nothing is dead', () => {
    const b = new GraphBuilder('f');
    const x = b.input('x', { dtype: 'float32', shape: [3] });
    const g = b.output(b.op('exp', [x])).build();
    const r = dcePass.run(g, ctx);
    expect(r.changed).toBe(false);
    expect(r.graph).toBe(g);
  });
});
