import { UnknownOpError } from '@paradox/ir';
import { beforeAll, expect, it } from 'vitest';
import {
  apply,
  interpreterExecutor,
  setEagerExecutor,
  type Tensor,
  TensorArgumentError,
  tensor,
  trace,
} from '../src/index.js';
import { expectTensor } from './helpers.js';

beforeAll(() => {
  setEagerExecutor(interpreterExecutor);
});

it('applies a registered op by name, eagerly and while tracing', () => {
  expectTensor(apply('maximum', [tensor([1, -2]), tensor([0, 0])]), 'float32', [1, 0]);
  expectTensor(
    apply(
      'sum',
      [
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ],
      { axes: [1], keepdims: false },
    ),
    'float32',
    [3, 7],
  );
  const graph = trace((x: Tensor) => apply('exp', [x]), tensor([0]));
  expect(graph.nodes.map((n) => n.op)).toEqual(['exp']);
});

it('names what is wrong: an unknown op, a non-tensor operand, operands the type rule rejects', () => {
  expect(() => apply('nosuchop', [tensor([1])])).toThrow(UnknownOpError);
  expect(() => apply('exp', [1 as unknown as Tensor])).toThrow(TensorArgumentError);
  expect(() => apply('exp', [tensor([1], [1], 'int32')])).toThrow(/exp.*float/);
});
