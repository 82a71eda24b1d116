import '@paradox/backend-js';
import { type Tensor, tensor } from '@paradox/tracer';
import { describe, expect, it } from 'vitest';
import {
  adam,
  adamw,
  type Optimizer,
  type OptimizerArgumentError,
  OptimizerConfigError,
  type OptimizerState,
  sgd,
} from '../src/index.js';
import { adamReference, sgdReference, values } from './reference.js';

type Params = { w: Tensor; layers: [Tensor] };

const N = 6;
const p0 = values(N, 1);
const gradSeq = [values(N, 2), values(N, 3, -3, 3), values(N, 4, -0.01, 0.01)];

/** Runs the optimizer eagerly over the gradient sequence on a pytree holding p0 twice (w and layers[0]). */
function run<S extends OptimizerState>(opt: Optimizer<S>): { params: Params; state: S } {
  let params: Params = { w: tensor(p0, [2, 3]), layers: [tensor(p0, [N])] };
  let state = opt.init(params);
  for (const g of gradSeq) {
    const grads: Params = { w: tensor(g, [2, 3]), layers: [tensor(g, [N])] };
    [params, state] = opt.update(grads, state, params);
  }
  return { params, state };
}

const expectClose = (got: ArrayLike<number>, want: readonly number[], digits = 5) => {
  expect(got.length).toBe(want.length);
  Array.from(got).forEach((v, i) => {
    expect(v).toBeCloseTo(want[i]!, digits);
  });
};

describe('optimizers against float64 references', () => {
  for (const [name, o] of [
    ['plain', { lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 }],
    ['momentum', { lr: 0.05, momentum: 0.9, nesterov: false, weightDecay: 0 }],
    ['nesterov + weight decay', { lr: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.1 }],
  ] as const) {
    it(`sgd ${name}`, () => {
      const { params, state } = run(
        sgd({ learningRate: o.lr, momentum: o.momentum, nesterov: o.nesterov, weightDecay: o.weightDecay }),
      );
      const want = sgdReference(p0, gradSeq, o);
      expectClose(params.w.dataSync(), want);
      expectClose(params.layers[0].dataSync(), want);
      expect(state.count.dataSync()[0]).toBe(3);
      expect(state.velocity === undefined).toBe(o.momentum === 0);
    });
  }

  it('adam: parameters and both moments', () => {
    const o = { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };
    const { params, state } = run(adam({ learningRate: o.lr }));
    const want = adamReference(p0, gradSeq, o);
    expectClose(params.w.dataSync(), want.p);
    expectClose((state.mu as Params).layers[0].dataSync(), want.m);
    expectClose((state.nu as Params).w.dataSync(), want.v, 7);
  });

  it('adamw: decoupled weight decay, other betas', () => {
    const o = { lr: 0.02, beta1: 0.5, beta2: 0.9, epsilon: 1e-3, weightDecay: 0.3 };
    const { params } = run(
      adamw({
        learningRate: o.lr,
        beta1: o.beta1,
        beta2: o.beta2,
        epsilon: o.epsilon,
        weightDecay: o.weightDecay,
      }),
    );
    expectClose(params.layers[0].dataSync(), adamReference(p0, gradSeq, o).p);
  });

  it('a schedule reads the step count (0 on the first step)', () => {
    const lrs = [0.1, 0.05, 0.025];
    // lr(count) = 0.1 * 0.5^count
    const { params } = run(sgd({ learningRate: (count) => count.mul(Math.log(0.5)).exp().mul(0.1) }));
    const p = [...p0];
    gradSeq.forEach((g, s) => {
      for (let i = 0; i < N; i++) p[i] = p[i]! - lrs[s]! * g[i]!;
    });
    expectClose(params.w.dataSync(), p);
  });
});

describe('optimizer errors', () => {
  it('rejects hyperparameters out of range, naming them', () => {
    expect(() => adam({ learningRate: -1 })).toThrow(OptimizerConfigError);
    expect(() => adam({ learningRate: 0.1, beta1: 1 })).toThrow(/adam: beta1 must be in \[0, 1\)/);
    expect(() => sgd({ learningRate: 0.1, momentum: Number.NaN })).toThrow(/sgd: momentum/);
    expect(() => adamw({ learningRate: 0.1, weightDecay: -2 })).toThrow(/adamw: weightDecay/);
  });

  it('rejects gradients that do not match the parameters, naming the leaf', () => {
    const opt = adam({ learningRate: 0.1 });
    const params = { a: tensor([1, 2]), b: tensor([3]) };
    const state = opt.init(params);
    expect(() => opt.update({ a: tensor([1, 2]), b: tensor([1, 2]) }, state, params)).toThrow(
      /grads leaf 1 is float32\[2\], params leaf 1 is float32\[1\]/,
    );
    expect(() => opt.update({ a: tensor([1, 2]) } as typeof params, state, params)).toThrow(
      expect.objectContaining({ name: 'OptimizerArgumentError' }) as OptimizerArgumentError,
    );
    expect(() => opt.update(params, { ...state, count: tensor([1, 2]) }, params)).toThrow(/state.count/);
  });
});
