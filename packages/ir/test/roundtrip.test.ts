import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deserializeGraph,
  type Graph,
  interpret,
  parseGraph,
  printGraph,
  serializeGraph,
  verifyGraph,
} from '../src/index.js';
import { randomGraph } from '../src/testing/index.js';

/** Graph equality that treats NaN == NaN and distinguishes -0 (Object.is on every number). */
function expectSameGraph(a: Graph, b: Graph): void {
  expect(b).toStrictEqual(a);
}

describe('random graphs', () => {
  it('are valid and interpretable', () => {
    fc.assert(
      fc.property(randomGraph(fc, { specialValues: true }), ({ graph, inputs }) => {
        verifyGraph(graph);
        const out = interpret(graph, inputs);
        expect(out.length).toBe(graph.outputs.length);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trip through print/parse exactly', () => {
    fc.assert(
      fc.property(randomGraph(fc), ({ graph }) => {
        const text = printGraph(graph);
        const parsed = parseGraph(text);
        expectSameGraph(graph, parsed);
        expect(printGraph(parsed)).toBe(text);
      }),
      { numRuns: 150 },
    );
  });

  it('round-trip through serialize/deserialize exactly', () => {
    fc.assert(
      fc.property(randomGraph(fc), ({ graph }) => {
        const json = serializeGraph(graph);
        const back = deserializeGraph(json);
        expectSameGraph(graph, back);
        expect(serializeGraph(back)).toBe(json);
      }),
      { numRuns: 150 },
    );
  });

  it('produce a spread of ops (the generator is not degenerate)', () => {
    const seen = new Set<string>();
    let empty = 0;
    let scalar = 0;
    fc.assert(
      fc.property(randomGraph(fc), ({ graph }) => {
        for (const n of graph.nodes) {
          seen.add(n.op);
          if (n.type.shape.includes(0)) empty++;
          if (n.type.shape.length === 0) scalar++;
        }
      }),
      { numRuns: 300, seed: 42 },
    );
    for (const op of [
      'add',
      'where',
      'sum',
      'argmax',
      'matmul',
      'reshape',
      'transpose',
      'broadcast',
      'slice',
      'pad',
      'concat',
      'cast',
      'iota',
    ]) {
      expect(seen, op).toContain(op);
    }
    expect(empty).toBeGreaterThan(0);
    expect(scalar).toBeGreaterThan(0);
  });
});
