import { full, type Tensor } from '@paradox/tracer';
import {
  checkCount,
  checkInUnit,
  checkNonNegative,
  checkRate,
  type LearningRate,
  type Optimizer,
  type OptimizerState,
  rateAt,
  zeroCount,
} from './optimizer.js';
import { rebuild, zipLeaves } from './tree-map.js';
import { zerosLikeTree } from './zeros-like.js';

export interface AdamOptions {
  learningRate: LearningRate;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export interface AdamWOptions extends AdamOptions {
  /** Decoupled weight decay (Loshchilov & Hutter): `p' = p - lr * (adam step + weightDecay * p)`. Default 1e-2. */
  weightDecay?: number;
}

export interface AdamState extends OptimizerState {
  /** First moment per parameter (a pytree like the parameters). */
  mu: unknown;
  /** Second moment per parameter. */
  nu: unknown;
}

function adamLike(name: string, options: AdamWOptions, weightDecay: number): Optimizer<AdamState> {
  const { learningRate, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = options;
  checkRate(name, learningRate);
  checkInUnit(name, 'beta1', beta1);
  checkInUnit(name, 'beta2', beta2);
  checkNonNegative(name, 'epsilon', epsilon);
  checkNonNegative(name, 'weightDecay', weightDecay);
  return {
    name,
    init: (params) => ({ count: zeroCount(), mu: zerosLikeTree(params), nu: zerosLikeTree(params) }),
    update<P>(grads: P, state: AdamState, params: P): [P, AdamState] {
      const where = `${name}.update`;
      const count = checkCount(where, state.count);
      const { treedef, leaves } = zipLeaves(where, { params, grads, mu: state.mu, nu: state.nu });
      const step = count.add(1);
      // Bias corrections 1 - beta^t, computed once per step as scalars the update kernels read.
      const correction1 = full([], beta1).pow(step).neg().add(1);
      const correction2 = full([], beta2).pow(step).neg().add(1);
      const lr = rateAt(learningRate, count);
      const out: Record<'params' | 'mu' | 'nu', Tensor[]> = { params: [], mu: [], nu: [] };
      leaves.params!.forEach((p, i) => {
        const g = leaves.grads![i]!;
        const m = leaves.mu![i]!.mul(beta1).add(g.mul(1 - beta1));
        const v = leaves.nu![i]!.mul(beta2).add(g.mul(g).mul(1 - beta2));
        let direction = m.div(correction1).div(v.div(correction2).sqrt().add(epsilon));
        if (weightDecay > 0) direction = direction.add(p.mul(weightDecay));
        out.params.push(p.sub(direction.mul(lr)));
        out.mu.push(m);
        out.nu.push(v);
      });
      return [
        rebuild<P>(treedef, out.params),
        { count: step, mu: rebuild(treedef, out.mu), nu: rebuild(treedef, out.nu) },
      ];
    },
  };
}

/** Adam (Kingma & Ba) with bias correction, as optax.adam and tf.train.adam. */
export const adam = (options: AdamOptions): Optimizer<AdamState> => adamLike('adam', options, 0);

/** AdamW: Adam with decoupled weight decay, as optax.adamw and torch.optim.AdamW. */
export function adamw(options: AdamWOptions): Optimizer<AdamState> {
  return adamLike('adamw', options, options.weightDecay ?? 1e-2);
}
