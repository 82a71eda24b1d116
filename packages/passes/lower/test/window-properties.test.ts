import { type Attrs, GraphBuilder, type HostTensor, interpret, numel, stridesOf } from '@paradox/ir';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLowering, f32 } from './helpers.js';

/**
 * Random shapes and attrs for the windowed ops: the reference interpreter must agree with a naive
 * loop written here (float64, straight from the ONNX definitions: zero padding, a scatter for
 * convTranspose), and the lowered kernels with the interpreter element for element.
 */

const RUNS = { numRuns: 60, seed: 20261207 };

function data(shape: number[], seed: number): HostTensor {
  const out = new Float32Array(numel(shape));
  let s = seed >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = Math.round(((s / 2 ** 32) * 4 - 2) * 64) / 64;
  }
  return { dtype: 'float32', shape, data: out };
}

function runBoth(op: string, operands: HostTensor[], attrs: Attrs): HostTensor {
  const b = new GraphBuilder('p');
  const ids = operands.map((x, i) => b.input(`x${i}`, f32(...x.shape)));
  b.output(b.op(op, ids, attrs));
  const graph = b.build();
  checkLowering(graph, operands);
  return interpret(graph, operands)[0]!;
}

function expectClose(actual: HostTensor, shape: number[], expected: Float64Array): void {
  expect(actual.shape).toEqual(shape);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    if (Math.abs(actual.data[i]! - e) > 1e-4 * (1 + Math.abs(e))) {
      expect.fail(`element ${i}: ${actual.data[i]} != ${e}`);
    }
  }
}

/** Visits every multi-index of `shape` in row-major order. */
function each(shape: readonly number[], visit: (idx: number[], flat: number) => void): void {
  const n = numel(shape);
  const idx = shape.map(() => 0);
  for (let flat = 0; flat < n; flat++) {
    visit([...idx], flat);
    for (let d = shape.length - 1; d >= 0 && ++idx[d]! >= shape[d]!; d--) idx[d] = 0;
  }
}

const at = (t: HostTensor, idx: readonly number[]) =>
  t.data[idx.reduce((acc, v, d) => acc + v * stridesOf(t.shape)[d]!, 0)]!;

/** One spatial axis: kernel, stride, dilation, pads and an input size the window fits. */
const axisArb = fc
  .record({
    k: fc.integer({ min: 1, max: 3 }),
    s: fc.integer({ min: 1, max: 3 }),
    d: fc.integer({ min: 1, max: 2 }),
    pb: fc.integer({ min: 0, max: 2 }),
    pe: fc.integer({ min: 0, max: 2 }),
    extra: fc.integer({ min: 0, max: 4 }),
  })
  .map((a) => ({ ...a, size: Math.max(1, (a.k - 1) * a.d + 1 - a.pb - a.pe + a.extra) }));
const axesArb = fc
  .integer({ min: 1, max: 3 })
  .chain((r) => fc.array(axisArb, { minLength: r, maxLength: r }));
type Axis = { k: number; s: number; d: number; pb: number; pe: number; size: number };

const windowAttrs = (axes: Axis[]) => ({
  strides: axes.map((a) => a.s),
  dilations: axes.map((a) => a.d),
  pads: axes.map((a): [number, number] => [a.pb, a.pe]),
});

describe('windowed ops against naive loops (random shapes and attrs)', () => {
  it('conv', () => {
    const arb = fc.record({
      axes: axesArb,
      n: fc.integer({ min: 1, max: 2 }),
      groups: fc.integer({ min: 1, max: 2 }),
      cg: fc.integer({ min: 1, max: 2 }),
      mg: fc.integer({ min: 1, max: 2 }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(arb, ({ axes, n, groups, cg, mg, seed }) => {
        const x = data([n, groups * cg, ...axes.map((a) => a.size)], seed);
        const w = data([groups * mg, cg, ...axes.map((a) => a.k)], seed + 1);
        const outSpatial = axes.map(
          (a) => Math.floor((a.size + a.pb + a.pe - (a.k - 1) * a.d - 1) / a.s) + 1,
        );
        const shape = [n, groups * mg, ...outSpatial];
        const expected = new Float64Array(numel(shape));
        each(shape, ([b, m, ...o], flat) => {
          const g = Math.floor(m! / mg);
          let acc = 0;
          for (let c = 0; c < cg; c++) {
            each(
              axes.map((a) => a.k),
              (k) => {
                const pos = o.map((oi, i) => oi * axes[i]!.s - axes[i]!.pb + k[i]! * axes[i]!.d);
                if (pos.some((p, i) => p < 0 || p >= axes[i]!.size)) return;
                acc += at(x, [b!, g * cg + c, ...pos]) * at(w, [m!, c, ...k]);
              },
            );
          }
          expected[flat] = acc;
        });
        expectClose(runBoth('conv', [x, w], { ...windowAttrs(axes), groups }), shape, expected);
      }),
      RUNS,
    );
  });

  it('convTranspose (a scatter, then the pads cropped)', () => {
    const arb = fc.record({
      axes: axesArb,
      groups: fc.integer({ min: 1, max: 2 }),
      cg: fc.integer({ min: 1, max: 2 }),
      mg: fc.integer({ min: 1, max: 2 }),
      op: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3, maxLength: 3 }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(arb, ({ axes, groups, cg, mg, op, seed }) => {
        const x = data([1, groups * cg, ...axes.map((a) => a.size)], seed);
        const w = data([groups * cg, mg, ...axes.map((a) => a.k)], seed + 7);
        const fullSize = axes.map((a, i) => a.s * (a.size - 1) + (a.k - 1) * a.d + 1 + op[i]!);
        const full = new Float64Array(numel([groups * mg, ...fullSize]));
        const fullStrides = stridesOf([groups * mg, ...fullSize]);
        each(x.shape.slice(1), ([ci, ...i]) => {
          const g = Math.floor(ci! / cg);
          for (let m = 0; m < mg; m++) {
            each(
              axes.map((a) => a.k),
              (k) => {
                const pos = i.map((ii, d) => ii * axes[d]!.s + k[d]! * axes[d]!.d);
                const o = [g * mg + m, ...pos].reduce((acc, v, d) => acc + v * fullStrides[d]!, 0);
                full[o] = full[o]! + at(x, [0, ci!, ...i]) * at(w, [ci!, m, ...k]);
              },
            );
          }
        });
        const outSpatial = fullSize.map((f, i) => f - axes[i]!.pb - axes[i]!.pe);
        if (outSpatial.some((s) => s <= 0)) return;
        const shape = [1, groups * mg, ...outSpatial];
        const expected = new Float64Array(numel(shape));
        each(shape, ([, m, ...o], flat) => {
          const src = [m!, ...o.map((v, i) => v + axes[i]!.pb)];
          expected[flat] = full[src.reduce((acc, v, d) => acc + v * fullStrides[d]!, 0)]!;
        });
        const attrs = { ...windowAttrs(axes), groups, outputPadding: op.slice(0, axes.length) };
        expectClose(runBoth('convTranspose', [x, w], attrs), shape, expected);
      }),
      RUNS,
    );
  });

  it('maxPool and avgPool (both count modes, floor and ceil)', () => {
    const arb = fc.record({
      axes: axesArb,
      ceilMode: fc.boolean(),
      include: fc.boolean(),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(arb, ({ axes, ceilMode, include, seed }) => {
        // ONNX: windows may not start in the end padding
        const outSpatial = axes.map((a) => {
          const span = (a.size + a.pb + a.pe - (a.k - 1) * a.d - 1) / a.s;
          const out = (ceilMode ? Math.ceil(span) : Math.floor(span)) + 1;
          return ceilMode && (out - 1) * a.s >= a.size + a.pb ? out - 1 : out;
        });
        const x = data([2, 2, ...axes.map((a) => a.size)], seed);
        const shape = [2, 2, ...outSpatial];
        const max = new Float64Array(numel(shape));
        const avg = new Float64Array(numel(shape));
        each(shape, ([b, c, ...o], flat) => {
          let best = Number.NEGATIVE_INFINITY;
          let sum = 0;
          let count = 0;
          each(
            axes.map((a) => a.k),
            (k) => {
              const pos = o.map((oi, i) => oi * axes[i]!.s - axes[i]!.pb + k[i]! * axes[i]!.d);
              const inside = pos.every((p, i) => p >= 0 && p < axes[i]!.size);
              const inPads = pos.every((p, i) => p >= -axes[i]!.pb && p < axes[i]!.size + axes[i]!.pe);
              if (include ? inPads : inside) count++;
              if (!inside) return;
              const v = at(x, [b!, c!, ...pos]);
              best = Math.max(best, v);
              sum += v;
            },
          );
          max[flat] = Math.fround(best);
          avg[flat] = sum / count;
        });
        const attrs = { ...windowAttrs(axes), kernel: axes.map((a) => a.k), ceilMode };
        expectClose(runBoth('maxPool', [x], attrs), shape, max);
        expectClose(runBoth('avgPool', [x], { ...attrs, countIncludePad: include }), shape, avg);
      }),
      RUNS,
    );
  });

  it('cumsum', () => {
    const arb = fc.record({
      shape: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
      axisSeed: fc.nat(),
      exclusive: fc.boolean(),
      reverse: fc.boolean(),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(arb, ({ shape, axisSeed, exclusive, reverse, seed }) => {
        const axis = axisSeed % shape.length;
        const x = data(shape, seed);
        const expected = new Float64Array(numel(shape));
        each(shape, (idx, flat) => {
          let acc = 0;
          for (let j = 0; j < shape[axis]!; j++) {
            const i = idx[axis]!;
            const taken = reverse ? (exclusive ? j > i : j >= i) : exclusive ? j < i : j <= i;
            if (taken)
              acc += at(
                x,
                idx.map((v, d) => (d === axis ? j : v)),
              );
          }
          expected[flat] = acc;
        });
        expectClose(
          runBoth('cumsum', [x], { axis: axis - shape.length, exclusive, reverse }),
          shape,
          expected,
        );
      }),
      RUNS,
    );
  });
});
