import type { NodeContext, OpMapping } from '../context.js';
import type { Emitter, Val } from '../emitter.js';
import { binary, broadcastTo, cast, full, iota, rank, reduce, reshape, where, withScalar } from './build.js';
import { logSoftmax } from './reduce.js';

/**
 * NegativeLogLikelihoodLoss on log-probabilities [N,C,d...] and int targets [N,d...]: the target
 * class is picked by a one-hot match over C (exact), weighted, with ignore_index masked out.
 */
function nll(ctx: NodeContext, logProb: Val, target: Val, weight: Val | undefined): Val {
  const e = ctx.e;
  const shape = logProb.type.shape;
  const t = cast(e, target, 'int32');
  const unit = [...t.type.shape];
  unit.splice(1, 0, 1);
  const hit = e.op('eq', [broadcastTo(e, reshape(e, t, unit), shape), iota(e, shape, 1)]);
  const picked = reduce(e, 'sum', where(e, hit, logProb, full(e, 0, logProb)), [1], false);
  let w: Val = full(e, 1, picked);
  if (weight) {
    const perClass = broadcastTo(
      e,
      reshape(e, weight, [shape[1]!, ...Array(rank(logProb) - 2).fill(1)]),
      shape,
    );
    w = reduce(e, 'sum', where(e, hit, perClass, full(e, 0, perClass)), [1], false);
  }
  if (ctx.has('ignore_index')) {
    const valid = withScalar(e, 'ne', t, ctx.int('ignore_index', 0));
    w = where(e, valid, w, full(e, 0, w));
  }
  const loss = binary(e, 'mul', e.op('neg', [picked]), w);
  return reduceLoss(ctx, e, loss, w);
}

function reduceLoss(ctx: NodeContext, e: Emitter, loss: Val, w: Val): Val {
  const all = [...Array(rank(loss)).keys()];
  switch (ctx.string('reduction', 'mean')) {
    case 'none':
      return loss;
    case 'sum':
      return reduce(e, 'sum', loss, all, false);
    case 'mean':
      return binary(e, 'div', reduce(e, 'sum', loss, all, false), reduce(e, 'sum', w, all, false));
    default:
      throw ctx.unsupported(`reduction '${ctx.string('reduction', '')}'`);
  }
}

export const LOSS_OPS: Record<string, OpMapping> = {
  NegativeLogLikelihoodLoss: (ctx) => nll(ctx, ctx.input(0), ctx.input(1), ctx.optional(2)),
  SoftmaxCrossEntropyLoss: (ctx) => {
    const logProb = logSoftmax(ctx.e, ctx.input(0), 1);
    return [nll(ctx, logProb, ctx.input(1), ctx.optional(2)), logProb];
  },
};
