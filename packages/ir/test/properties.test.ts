import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  broadcastShapes,
  deserializeGraph,
  GraphBuilder,
  type HostTensor,
  interpret,
  parseGraph,
  printGraph,
  serializeGraph,
} from '../src/index.js';
import { randomGraph, randomInputs } from '../src/testing/index.js';

/** Bitwise equality of results (NaN == NaN, -0 != 0). */
function expectSameResults(a: HostTensor[], b: HostTensor[]): void {
  expect(b.length).toBe(a.length);
  a.forEach((t, i) => {
    expect(b[i]!.dtype).toBe(t.dtype);
    expect(b[i]!.shape).toEqual(t.shape);
    expect(Array.from(b[i]!.data)).toStrictEqual(Array.from(t.data));
  });
}

const dims = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 });

describe('metamorphic properties of the interpreter', () => {
  it('printing/parsing and serializing do not change results', () => {
    fc.assert(
      fc.property(randomGraph(fc, { specialValues: true, allowRandom: true }), ({ graph, inputs }) => {
        const expected = interpret(graph, inputs);
        expectSameResults(expected, interpret(parseGraph(printGraph(graph)), inputs));
        expectSameResults(expected, interpret(deserializeGraph(serializeGraph(graph)), inputs));
      }),
      { numRuns: 100 },
    );
  });

  it('implicit broadcasting equals explicit broadcast then op', () => {
    // b's shape is a suffix of a's with some dims set to 1
    const shapes = dims.chain((a) =>
      fc.tuple(
        fc.constant(a),
        fc.integer({ min: 0, max: a.length }),
        fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      ),
    );
    fc.assert(
      fc.property(
        shapes,
        fc.nat(),
        fc.constantFrom('add', 'sub', 'mul', 'div', 'mod', 'maximum', 'lt'),
        ([a, k, ones], seed, op) => {
          const bShape = a.slice(a.length - k).map((d, i) => (ones[i] ? 1 : d));
          const b = new GraphBuilder();
          const x = b.input('x', { dtype: 'int32', shape: a });
          const y = b.input('y', { dtype: 'float32', shape: bShape });
          const out = broadcastShapes(op, [b.typeOf(x), b.typeOf(y)]);
          const implicit = b.op(op, [y, x]);
          const explicit = b.op(op, [
            b.op('broadcast', [y], { shape: out }),
            b.op('broadcast', [x], { shape: out }),
          ]);
          const g = b.output(implicit, explicit).build();
          const [r1, r2] = interpret(g, randomInputs(g, seed, true));
          expect(Array.from(r2!.data)).toStrictEqual(Array.from(r1!.data));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('matmul equals broadcast-multiply-sum (int32, exact), including batch broadcasting', () => {
    const batch = fc.array(fc.integer({ min: 1, max: 2 }), { maxLength: 2 });
    fc.assert(
      fc.property(
        batch,
        batch,
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.nat(),
        (ba, bb, m, k, n, seed) => {
          // make the batch dims compatible: where both exist and differ, use 1 on the left
          const rank = Math.max(ba.length, bb.length);
          const la = ba.map((d, i) =>
            bb[i - ba.length + bb.length] !== undefined && bb[i - ba.length + bb.length] !== d ? 1 : d,
          );
          const b = new GraphBuilder();
          const x = b.input('x', { dtype: 'int32', shape: [...la, m, k] });
          const y = b.input('y', { dtype: 'int32', shape: [...bb, k, n] });
          const mm = b.op('matmul', [x, y]);
          const batchOut = broadcastShapes('matmul', [
            { dtype: 'int32', shape: la },
            { dtype: 'int32', shape: bb },
          ]);
          expect(batchOut.length).toBe(rank);
          const xe = b.op('reshape', [x], { shape: [...la, m, k, 1] });
          const ye = b.op('reshape', [y], { shape: [...bb, 1, k, n] });
          const prod = b.op('mul', [xe, ye]);
          const ref = b.op('sum', [prod], { axes: [-2], keepdims: false });
          const g = b.output(mm, ref).build();
          const [r1, r2] = interpret(g, randomInputs(g, seed));
          expect(r1!.shape).toEqual(r2!.shape);
          expect(Array.from(r1!.data)).toEqual(Array.from(r2!.data));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('reversing every axis twice, and transposing by a perm then its inverse, is the identity', () => {
    fc.assert(
      fc.property(dims, fc.nat(), (shape, seed) => {
        const rank = shape.length;
        const b = new GraphBuilder();
        const x = b.input('x', { dtype: 'float32', shape });
        const rev = { starts: shape.map(() => -1), stops: shape.map(() => null), steps: shape.map(() => -1) };
        const twice = b.op('slice', [b.op('slice', [x], rev)], rev);
        const perm = shape.map((_, i) => (i + 1) % rank);
        const inverse = shape.map((_, i) => (i - 1 + rank) % rank);
        const back = b.op('transpose', [b.op('transpose', [x], { perm })], { perm: inverse });
        const g = b.output(twice, back).build();
        const inputs = randomInputs(g, seed, true);
        const [r1, r2] = interpret(g, inputs);
        expect(Array.from(r1!.data)).toStrictEqual(Array.from(inputs[0]!.data));
        expect(Array.from(r2!.data)).toStrictEqual(Array.from(inputs[0]!.data));
      }),
      { numRuns: 100 },
    );
  });

  it('int32 sum over all axes equals summing axis by axis', () => {
    fc.assert(
      fc.property(dims, fc.nat(), (shape, seed) => {
        const b = new GraphBuilder();
        const x = b.input('x', { dtype: 'int32', shape });
        const all = b.op('sum', [x], { axes: shape.map((_, i) => i), keepdims: false });
        let step = x;
        for (let i = 0; i < shape.length; i++) step = b.op('sum', [step], { axes: [0], keepdims: false });
        const g = b.output(all, step).build();
        const inputs = randomInputs(g, seed);
        const [r1, r2] = interpret(g, inputs);
        expect(Array.from(r1!.data)).toEqual(Array.from(r2!.data));
        expect(r1!.data[0]).toBe(Array.from(inputs[0]!.data).reduce((s, v) => s + v, 0));
      }),
      { numRuns: 100 },
    );
  });
});
