import { GraphBuilder, type HostTensor, numel } from '@paradox/ir';
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { checkLowering, group } from './helpers.js';

/** A random table shape, axis, indices shape and index values (negative and out of range included). */
const gatherCase = fc.record({
  shape: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
  axisSeed: fc.nat(),
  ishape: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }),
  indices: fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 9, maxLength: 9 }),
});

const f32 = (shape: number[], seed: number): HostTensor => ({
  dtype: 'float32',
  shape,
  data: Float32Array.from({ length: numel(shape) }, (_, k) => ((k * 37 + seed) % 23) - 11.5),
});
const i32 = (shape: number[], values: number[]): HostTensor => ({
  dtype: 'int32',
  shape,
  data: Int32Array.from({ length: numel(shape) }, (_, k) => values[k % values.length]!),
});

/** Lowered gather/scatterAdd/argmin programs agree element for element with the interpreter. */
describe('op set v2 indexing over random shapes', () => {
  test('gather, alone and fused with its index arithmetic and consumer', () => {
    fc.assert(
      fc.property(gatherCase, fc.boolean(), ({ shape, axisSeed, ishape, indices }, fused) => {
        const axis = axisSeed % shape.length;
        const b = new GraphBuilder('g');
        const t = b.input('t', { dtype: 'float32', shape });
        const i = b.input('i', { dtype: 'int32', shape: ishape });
        const shifted = b.op('sub', [i, b.op('full', [], { value: 1, shape: [], dtype: 'int32' })]);
        const g = b.op('gather', [t, shifted], { axis });
        const out = b.op('mul', [g, g]);
        const graph = b.output(out).build();
        if (fused) group(graph, 1, shifted, g, out);
        const program = checkLowering(graph, [f32(shape, axisSeed), i32(ishape, indices)]);
        // The table is read through one dynamic load (a non-empty result has at least one).
        if (numel(graph.nodes.find((n) => n.id === g)!.type.shape) > 0)
          expect(program.kernels.some((k) => k.exprs.some((e) => e.op === 'load' && e.dynamic))).toBe(true);
      }),
      { numRuns: 120 },
    );
  });

  test('scatterAdd (the gather VJP shape) and argmin', () => {
    fc.assert(
      fc.property(gatherCase, ({ shape, axisSeed, ishape, indices }) => {
        const axis = axisSeed % shape.length;
        const ushape = [...shape.slice(0, axis), ...ishape, ...shape.slice(axis + 1)];
        const b = new GraphBuilder('s');
        const d = b.input('d', { dtype: 'float32', shape });
        const i = b.input('i', { dtype: 'int32', shape: ishape });
        const u = b.input('u', { dtype: 'float32', shape: ushape });
        const s = b.op('scatterAdd', [d, i, u], { axis });
        const a = b.op('argmin', [s], { axis, keepdims: axisSeed % 2 === 0 });
        checkLowering(b.output(s, a).build(), [f32(shape, 3), i32(ishape, indices), f32(ushape, axisSeed)]);
      }),
      { numRuns: 120 },
    );
  });
});
