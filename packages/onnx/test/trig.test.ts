import { interpret } from '@paradox/ir';
import { describe, expect, it } from 'vitest';
import { loadOnnx } from '../src/index.js';
import { encodeModel, node, valueInfo } from './model-bytes.js';

const points = [
  0,
  -0.3,
  0.4142,
  0.42,
  0.7,
  1,
  -1,
  2.4,
  2.5,
  10,
  -123.5,
  1e6,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];

function run(op: string, xs: number[]): Float32Array {
  const bytes = encodeModel({
    name: 'g',
    node: [node(op, ['x'], ['y'])],
    input: [valueInfo('x', [xs.length])],
    output: [valueInfo('y', [xs.length])],
  });
  return interpret(loadOnnx(bytes).graph, [Float32Array.from(xs)])[0]!.data as Float32Array;
}

describe('inverse trigonometric composites', () => {
  it('Atan is within 2 float32 ulps of Math.atan, limits included', () => {
    const got = run('Atan', points);
    for (const [i, x] of points.entries()) {
      const want = Math.atan(Math.fround(x));
      expect(Math.abs(got[i]! - want)).toBeLessThanOrEqual(2.5e-7 * Math.max(Math.abs(want), 1e-30) + 1e-38);
    }
  });

  it('Asin, Acos, Asinh, Acosh and Atanh match Math on their domains', () => {
    const unit = [-1, -0.9, -0.5, 0, 0.25, 0.75, 1];
    const cases: [string, number[], (x: number) => number][] = [
      ['Asin', unit, Math.asin],
      ['Acos', unit, Math.acos],
      ['Asinh', [-50, -1, 0, 0.5, 3, 40], Math.asinh],
      ['Acosh', [1, 1.5, 3, 40], Math.acosh],
      ['Atanh', [-0.9, -0.5, 0, 0.3, 0.8], Math.atanh],
    ];
    for (const [op, xs, f] of cases) {
      const got = run(op, xs);
      for (const [i, x] of xs.entries()) expect(got[i]!, `${op}(${x})`).toBeCloseTo(f(x), 5);
    }
  });
});
