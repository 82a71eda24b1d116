import { registerOp, requireDTypes, unregisterOp } from '@paradox/ir';
import { apply, interpreterExecutor, setEagerExecutor, type Tensor, tensor } from '@paradox/tracer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DifferentiationArgumentError,
  elementwise,
  grad,
  jvp,
  NoDerivativeRuleError,
  registerDerivative,
} from '../src/index.js';
import { arg, checkDerivatives, expectValues } from './helpers.js';

// An op registered outside the op set (x^3, by its reference rule) gets a derivative by registerDerivative.
beforeAll(() => {
  setEagerExecutor(interpreterExecutor);
  registerOp({
    name: 'autodiff_test_cube',
    arity: 1,
    attrs: z.strictObject({}),
    traits: { elementwise: true, cost: 2 },
    inferType([x]) {
      requireDTypes('autodiff_test_cube', [x!], (t) => t.dtype === 'float32', 'float32');
      return { dtype: x!.dtype, shape: [...x!.shape] };
    },
    evaluate([x], _attrs, out) {
      return {
        dtype: out.dtype,
        shape: [...out.shape],
        data: (x!.data as Float32Array).map((v) => v * v * v),
      };
    },
  });
});
afterAll(() => unregisterOp('autodiff_test_cube'));

const cube = (x: Tensor): Tensor => apply('autodiff_test_cube', [x]);

describe('ops registered outside the op set', () => {
  it('without a rule: NoDerivativeRuleError naming the op (and fine when not differentiated)', () => {
    expectValues(cube(tensor([2])), [8]);
    expect(() => grad((x: Tensor) => cube(x).sum())(tensor([2]))).toThrow(NoDerivativeRuleError);
    expect(() => grad((x: Tensor) => cube(x).sum())(tensor([2]))).toThrow(/'autodiff_test_cube'/);
  });

  it('with registerDerivative: grad, jvp and grad of grad', () => {
    registerDerivative(
      'autodiff_test_cube',
      elementwise((t, [x]) => t.mul(x!.mul(x!).mul(3))),
    );
    checkDerivatives(cube, [arg([2, 3], 40)]);
    const [, dy] = jvp(cube, [tensor([2, -1])], [tensor([1, 2])]) as [Tensor, Tensor];
    expectValues(dy, [12, 6]);
    const second = grad((x: Tensor) => (grad((y: Tensor) => cube(y).sum())(x) as Tensor).sum())(
      tensor([2, -1]),
    );
    expectValues(second as Tensor, [12, -6]);
  });

  it('a built-in rule cannot be replaced', () => {
    expect(() =>
      registerDerivative(
        'exp',
        elementwise((t) => t),
      ),
    ).toThrow(DifferentiationArgumentError);
  });
});
