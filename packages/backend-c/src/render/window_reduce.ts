import {
  declareAxes,
  type EmitContext,
  ExprEmitter,
  Lines,
  LoopVars,
  renderReductionBody,
} from '@paradox/codegen-c/render';
import { type CFrame, PARALLEL_FOR, PARALLEL_MIN_WORK } from './frame.js';

/** Reductions over at most this many points fold per output element, vectorised across elements. */
const MAX_WINDOW = 16;
/** The innermost domain axis must be at least this long to be worth a vector loop. */
const MIN_ROW = 4;

/**
 * Whether a reducing kernel folds a small window per output element (pooling): one pass of at
 * most MAX_WINDOW points, no argmax (it folds serially), no reduction-phase stores, and an
 * innermost domain axis long enough to vectorise.
 */
export function windowReducible(ctx: EmitContext): boolean {
  const { analysis } = ctx;
  const { kernel } = analysis;
  const rows = kernel.domain[kernel.domain.length - 1] ?? 0;
  return (
    analysis.hasReduce &&
    analysis.reduceSize > 0 &&
    analysis.reduceSize <= MAX_WINDOW &&
    rows >= MIN_ROW &&
    analysis.passes.length === 1 &&
    analysis.reductionStores.length === 0 &&
    analysis.passes[0]!.every((i) => {
      const e = kernel.exprs[i]!;
      return e.op === 'reduce' && e.fn !== 'argmax';
    })
  );
}

/**
 * Small-window reductions (max/average pooling): the whole window of one output element folds
 * serially (the compiler unrolls it), inside a `#pragma omp simd` loop over the innermost domain
 * axis, so neighbouring outputs are computed in vector lanes; the outer axes are spread over
 * threads. The generic template would fold each element's few points in its own scalar loop.
 */
export function renderWindowReduce(frame: CFrame, ctx: EmitContext): Lines {
  const { analysis } = ctx;
  const { domain } = analysis.kernel;
  const I = frame.indexType;
  const lit = frame.literal;
  const last = domain.length - 1;
  const vars = new LoopVars();
  const body = new Lines();
  renderReductionBody(new ExprEmitter(ctx, body, vars), analysis, frame, {
    loopHeader: (T, r, extent) => `for (${T} ${r} = 0; ${r} < ${extent}; ++${r})`,
    combine: () => {},
    domainStores: (_out, emitter, stores) => {
      for (const s of stores) emitter.store(s);
    },
  });
  const outer = domain.slice(0, last).reduce((a, b) => a * b, 1);
  const out = new Lines();
  out.block(frame.signature, () => {
    if (analysis.domainSize === 0) return;
    if (outer > 1 && analysis.domainSize * analysis.reduceSize >= PARALLEL_MIN_WORK) out.push(PARALLEL_FOR);
    out.block(`for (${I} o = 0; o < ${lit(outer)}; ++o)`, () => {
      const outerAxes = new Set([...vars.axes].filter((a) => a !== last));
      declareAxes(out, domain.slice(0, last), outerAxes, 'o', 'a', I, lit);
      out.push('#pragma omp simd');
      out.block(`for (${I} a${last} = 0; a${last} < ${lit(domain[last]!)}; ++a${last})`, () =>
        out.append(body),
      );
    });
  });
  return out;
}
