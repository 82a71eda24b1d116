import { valueAndGrad } from '@paradox/autodiff';
import { type JitOptions, type JittedFunction, jit } from '@paradox/jit';
import type { Tensor } from '@paradox/tracer';
import type { Optimizer, OptimizerState } from './optimizer.js';

export type TrainStep<P, S, B extends unknown[]> = JittedFunction<
  (params: P, state: S, ...batch: B) => [Tensor, P, S]
>;

/**
 * One compiled training step: `step(params, state, ...batch)` returns `[loss, params', state']`,
 * forward, backward and update traced into one program. By default parameters and state are donated
 * (`donate: [0, 1]`): the step writes them in place and the tensors passed in are invalid afterwards,
 * so keep only the returned ones (`[loss, params, state] = step(params, state, x, y)`).
 */
export function trainStep<P, S extends OptimizerState, B extends unknown[]>(
  loss: (params: P, ...batch: B) => Tensor,
  optimizer: Optimizer<S>,
  options: JitOptions = {},
): TrainStep<P, S, B> {
  const lossAndGrad = valueAndGrad(loss);
  const step = (params: P, state: S, ...batch: B): [Tensor, P, S] => {
    const [value, grads] = lossAndGrad(params, ...batch) as [Tensor, P];
    const [next, nextState] = optimizer.update(grads, state, params);
    return [value, next, nextState];
  };
  Object.defineProperty(step, 'name', { value: loss.name ? `${loss.name}_step` : 'train_step' });
  return jit(step, { donate: [0, 1], ...options });
}
