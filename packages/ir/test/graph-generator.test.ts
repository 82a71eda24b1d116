import { describe, expect, it } from 'vitest';
import {
  type Graph,
  generateGraphBatch,
  generateGraphBatchOf,
  generateGraphCase,
  interpret,
  printGraph,
  SeededRandom,
  verifyGraph,
} from '../src/index.js';

/** Every node of `count` generated programs, for coverage questions. */
function nodesOf(count: number) {
  const graphs: Graph[] = [];
  for (let s = 0; s < count; s++) graphs.push(generateGraphCase(s).graph);
  return { graphs, nodes: graphs.flatMap((g) => g.nodes) };
}

describe('generateGraphCase (the independent generator, #18 item 10)', () => {
  it('is a function of its seed: the same seed gives the same program and inputs', () => {
    const a = generateGraphCase(12345);
    const b = generateGraphCase(12345);
    expect(printGraph(a.graph)).toBe(printGraph(b.graph));
    expect(a.inputs.map((t) => Array.from(t.data))).toEqual(b.inputs.map((t) => Array.from(t.data)));
    expect(printGraph(generateGraphCase(12346).graph)).not.toBe(printGraph(a.graph));
  });

  it('makes valid graphs the interpreter runs, with one exactness flag per output', () => {
    for (let s = 0; s < 300; s++) {
      const c = generateGraphCase(s);
      verifyGraph(c.graph);
      const out = interpret(c.graph, c.inputs);
      expect(out).toHaveLength(c.exactOutputs.length);
      expect(c.graph.nodes.length).toBeGreaterThan(0);
    }
  });

  it('reaches what found bugs before: special pad values, negative steps, concat, argmax, mod by zero, size-0 dims, long chains', () => {
    const { graphs, nodes } = nodesOf(600);
    const padValues = new Set(nodes.filter((n) => n.op === 'pad').map((n) => String(n.attrs.value)));
    expect(padValues).toContain('NaN');
    expect(padValues).toContain('-Infinity');
    expect(nodes.some((n) => n.op === 'pad' && Object.is(n.attrs.value, -0))).toBe(true);
    expect(nodes.some((n) => n.op === 'slice' && (n.attrs.steps as number[]).some((s) => s < 0))).toBe(true);
    expect(nodes.some((n) => n.op === 'concat' && n.inputs.length >= 3)).toBe(true);
    expect(nodes.some((n) => n.op === 'argmax')).toBe(true);
    expect(nodes.some((n) => ['sum', 'max', 'min', 'prod'].includes(n.op) && n.attrs.keepdims === true)).toBe(
      true,
    );
    expect(nodes.some((n) => n.op === 'where')).toBe(true);
    expect(nodes.some((n) => n.op === 'matmul')).toBe(true);
    // min over a broadcast in the same program as a matmul
    expect(
      graphs.some((g) => {
        const broadcasts = new Set(g.nodes.filter((n) => n.op === 'broadcast').map((n) => n.id));
        return (
          g.nodes.some((n) => n.op === 'min' && broadcasts.has(n.inputs[0]!)) &&
          g.nodes.some((n) => n.op === 'matmul')
        );
      }),
    ).toBe(true);
    const zeros = new Set(nodes.filter((n) => n.op === 'constant' && n.attrs.value === 0).map((n) => n.id));
    expect(
      graphs.some((g) => g.nodes.some((n) => n.op === 'mod' && n.inputs.some((i) => zeros.has(i)))),
    ).toBe(true);
    expect(nodes.some((n) => n.type.shape.includes(0))).toBe(true);
    expect(graphs.some((g) => g.inputs.some((i) => i.type.dtype === 'int32'))).toBe(true);
    const longest = Math.max(...graphs.map((g) => g.nodes.length));
    expect(longest).toBeGreaterThanOrEqual(60);
  });

  it('keeps going when a magnitude bound is unknown (Inf * 0 made one NaN: seed 3504394363)', () => {
    const c = generateGraphCase(3504394363);
    expect(c.graph.nodes.length).toBeGreaterThan(0);
    expect(interpret(c.graph, c.inputs)).toHaveLength(c.exactOutputs.length);
  });

  it('puts int32 extremes and IEEE special values into inputs', () => {
    const values = new Set<string>();
    for (let s = 0; s < 300; s++)
      for (const t of generateGraphCase(s).inputs)
        for (const v of t.data) values.add(Object.is(v, -0) ? '-0' : String(v));
    for (const v of ['NaN', 'Infinity', '-Infinity', '-0', '2147483647', '-2147483648'])
      expect(values).toContain(v);
  });
});

describe('generateGraphBatch', () => {
  it('holds independent programs whose outputs match each program run alone', () => {
    const batch = generateGraphBatch(99, 12);
    expect(batch.parts).toHaveLength(12);
    const together = interpret(batch.graph, batch.inputs);
    for (const part of batch.parts) {
      const alone = generateGraphCase(part.seed);
      const out = interpret(alone.graph, alone.inputs);
      expect(part.outputs).toHaveLength(out.length);
      part.outputs.forEach((o, k) => {
        expect(Array.from(together[o]!.data)).toEqual(Array.from(out[k]!.data));
        expect(batch.exactOutputs[o]).toBe(alone.exactOutputs[k]);
      });
    }
  });

  it('rebuilds any subset of its programs from their seeds', () => {
    const batch = generateGraphBatch(7, 6);
    const sub = generateGraphBatchOf(batch.parts.slice(2, 4).map((p) => p.seed));
    expect(sub.parts.map((p) => p.seed)).toEqual([batch.parts[2]!.seed, batch.parts[3]!.seed]);
    expect(sub.graph.outputs).toHaveLength(batch.parts[2]!.outputs.length + batch.parts[3]!.outputs.length);
  });
});

describe('SeededRandom', () => {
  it('repeats its stream for a seed and stays in range', () => {
    const a = new SeededRandom(5);
    const b = new SeededRandom(5);
    const xs = Array.from({ length: 1000 }, () => a.int(-3, 3));
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b.int(-3, 3)));
    expect(Math.min(...xs)).toBe(-3);
    expect(Math.max(...xs)).toBe(3);
  });
});
