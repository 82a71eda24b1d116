import { type ConformanceCase, make } from './case-builder.js';

/**
 * float32 subnormals (and their neighbours) as inputs. A backend declaring
 * `capabilities.numerics.flushesSubnormals` may answer as if every subnormal operand and result
 * were a zero of the same sign; any other backend must match the reference exactly.
 */
const VALUES = [
  1e-40, -1e-40, 1.4e-45, -1.4e-45, 1.1754942e-38, -5e-39, 1.17549435e-38, 0, -0, 0.75, -2.5, 3e-39,
];

export function subnormalCases(): ConformanceCase[] {
  const data = () => Float32Array.from(VALUES);
  const n = VALUES.length;
  const extra = { subnormals: true, zeroSign: true, tolerance: { rtol: 0, atol: 0 } };
  return [
    make(
      'subnormals/arithmetic',
      (b, x) => {
        const v = x('float32', [n], data());
        return [b.op('add', [v, v]), b.op('mul', [v, v]), b.op('neg', [v]), b.op('abs', [v])];
      },
      extra,
    ),
    make(
      'subnormals/cast-to-bool',
      (b, x) => [b.op('cast', [x('float32', [n], data())], { dtype: 'bool' })],
      extra,
    ),
    make(
      'subnormals/rounding-and-sign',
      (b, x) => {
        const v = x('float32', [n], data());
        return [b.op('ceil', [v]), b.op('floor', [v]), b.op('sign', [v])];
      },
      extra,
    ),
    make(
      'subnormals/compare-and-select',
      (b, x) => {
        const v = x('float32', [n], data());
        const zero = b.op('broadcast', [b.constant([0], [1], 'float32')], { shape: [n] });
        return [b.op('gt', [v, zero]), b.op('maximum', [v, zero]), b.op('relu', [v])];
      },
      extra,
    ),
  ];
}
