import type { Tensor } from '@paradox/tracer';
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

export interface SgdOptions {
  learningRate: LearningRate;
  /** Heavy-ball momentum (0: plain SGD, no velocity in the state). */
  momentum?: number;
  /** Nesterov momentum: steps along `g + momentum * v'` instead of `v'`. */
  nesterov?: boolean;
  /** L2 penalty added to the gradient (`g + weightDecay * p`), as torch.optim.SGD. */
  weightDecay?: number;
}

export interface SgdState extends OptimizerState {
  /** Velocity per parameter (a pytree like the parameters); absent without momentum. */
  velocity?: unknown;
}

/**
 * Stochastic gradient descent: `v' = momentum * v + g`, `p' = p - lr * v'` (Nesterov:
 * `p' = p - lr * (g + momentum * v')`), as torch.optim.SGD, optax.sgd and tf.train.momentum.
 */
export function sgd(options: SgdOptions): Optimizer<SgdState> {
  const { learningRate, momentum = 0, nesterov = false, weightDecay = 0 } = options;
  checkRate('sgd', learningRate);
  checkInUnit('sgd', 'momentum', momentum);
  checkNonNegative('sgd', 'weightDecay', weightDecay);
  return {
    name: 'sgd',
    init: (params) =>
      momentum > 0 ? { count: zeroCount(), velocity: zerosLikeTree(params) } : { count: zeroCount() },
    update<P>(grads: P, state: SgdState, params: P): [P, SgdState] {
      const count = checkCount('sgd.update', state.count);
      const trees: Record<string, unknown> = { params, grads };
      if (momentum > 0) trees.velocity = state.velocity;
      const { treedef, leaves } = zipLeaves('sgd.update', trees);
      const lr = rateAt(learningRate, count);
      const newParams: Tensor[] = [];
      const newVelocity: Tensor[] = [];
      leaves.params!.forEach((p, i) => {
        let g = leaves.grads![i]!;
        if (weightDecay > 0) g = g.add(p.mul(weightDecay));
        let direction = g;
        if (momentum > 0) {
          const v = leaves.velocity![i]!.mul(momentum).add(g);
          newVelocity.push(v);
          direction = nesterov ? g.add(v.mul(momentum)) : v;
        }
        newParams.push(p.sub(direction.mul(lr)));
      });
      const next: SgdState = { count: count.add(1) };
      if (momentum > 0) next.velocity = rebuild(treedef, newVelocity);
      return [rebuild<P>(treedef, newParams), next];
    },
  };
}
