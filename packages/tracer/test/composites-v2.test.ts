import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  batchNorm,
  type EagerExecutor,
  expand,
  instanceNorm,
  setEagerExecutor,
  TensorArgumentError,
  tensor,
  tile,
} from '../src/index.js';
import { EAGER_EXECUTORS, expectTensor } from './helpers.js';
import './inject-lowering.js';

/**
 * Op set v2's tracer composites (expand, tile, batchNorm, instanceNorm) against hand-computed and
 * numpy-computed values (ONNX's reference formulas), on every eager executor.
 */
describe.each(EAGER_EXECUTORS)('op set v2 composites on %s', (_name, load) => {
  let previous: EagerExecutor;
  beforeAll(async () => {
    previous = setEagerExecutor(await load());
  });
  afterAll(() => {
    setEagerExecutor(previous);
  });

  it('expand broadcasts both ways (ONNX Expand)', () => {
    expectTensor(expand(tensor([[1], [2]]), [2, 3]), 'float32', [
      [1, 1, 1],
      [2, 2, 2],
    ]);
    // A 1 in the target keeps x's dim; a longer target prepends axes.
    expectTensor(expand(tensor([[1, 2]]), [2, 1, 1]), 'float32', [[[1, 2]], [[1, 2]]]);
    expect(() => expand(tensor([1, 2, 3]), [2])).toThrow();
  });
  it('tile repeats along every axis (ONNX Tile, numpy tile)', () => {
    expectTensor(
      tile(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        [2, 3],
      ),
      'float32',
      [
        [1, 2, 1, 2, 1, 2],
        [3, 4, 3, 4, 3, 4],
        [1, 2, 1, 2, 1, 2],
        [3, 4, 3, 4, 3, 4],
      ],
    );
    expectTensor(tile(tensor([1, 2]), [2, 2]), 'float32', [
      [1, 2, 1, 2],
      [1, 2, 1, 2],
    ]);
    expectTensor(tile(tensor([1, 2]), [0]), 'float32', []);
    expect(() => tile(tensor([1]), [-1])).toThrow(TensorArgumentError);
  });

  const x = () =>
    tensor([
      [
        [1, 2, 3, 4],
        [3, 5, 7, 9],
      ],
      [
        [0, -2, 5, 1],
        [1, -3, 11, 3],
      ],
    ]);
  const scale = () => tensor([1.5, -1]);
  const bias = () => tensor([0.5, 2]);

  it('batchNorm (inference) matches ONNX BatchNormalization', () => {
    // numpy: s * (x - mean) / sqrt(var + 1e-5) + b per channel (ONNX's reference).
    const y = batchNorm(x(), {
      scale: scale(),
      bias: bias(),
      mean: tensor([1, -1]),
      variance: tensor([4, 0.25]),
    });
    expectTensor(y, 'float32', [
      [
        [0.5, 1.249999, 1.9999982, 2.7499974],
        [-5.99984, -9.99976, -13.99968, -17.9996],
      ],
      [
        [-0.2499991, -1.7499974, 3.4999964, 0.5],
        [-1.99992, 5.99992, -21.99952, -5.99984],
      ],
    ]);
    expect(() =>
      batchNorm(x(), { scale: tensor([1]), bias: bias(), mean: bias(), variance: bias() }),
    ).toThrow(/scale must have shape \[2\]/);
  });
  it('instanceNorm matches ONNX InstanceNormalization', () => {
    const y = instanceNorm(x(), { scale: scale(), bias: bias() });
    expectTensor(y, 'float32', [
      [
        [-1.5124533, -0.1708177, 1.1708177, 2.5124533],
        [3.3416395, 2.4472132, 1.5527868, 0.6583605],
      ],
      [
        [-0.088348, -1.2650439, 2.8533919, 0.5],
        [2.3922322, 3.1766965, 0.4310712, 2],
      ],
    ]);
    expect(() => instanceNorm(tensor([1, 2]), { scale: scale(), bias: bias() })).toThrow(TensorArgumentError);
  });
});
