import {
  declareAxes,
  type EmitContext,
  ExprEmitter,
  Lines,
  LoopVars,
  renderReductionBody,
} from '@paradox/codegen-c/render';
import { type CFrame, PARALLEL_FOR, PARALLEL_MIN_WORK } from './frame.js';

/** Lane accumulators per reduce: 16 float32 = one AVX-512 register, two AVX2 ones. */
const LANES = 16;
/**
 * A long row folds into four times as many, so four independent vector chains hide each step's
 * latency: a row in L1 (layerNorm's second pass) is otherwise bound by one chain of vector adds
 * (3 cycles each; layerNorm's kernel 175 -> 148 us on W4b once the lanes combine by halving).
 */
const LONG_LANES = 64;
const LONG_ROW = 8 * LONG_LANES;
/** Rows up to this long keep softmax's exp (and the like) for the store pass: 16 KiB of stack. */
const ROW_SCRATCH = 4096;

/**
 * Reducing kernels: domain points spread over threads, each folding its reduction domain with
 * vector lane accumulators (argmax folds serially), passes in order (softmax's max, then the sum
 * of exp(x - max)), then the reduction-phase stores as a `#pragma omp simd` loop.
 */
export function renderReduce(frame: CFrame, ctx: EmitContext): Lines {
  const { analysis } = ctx;
  const out = new Lines();
  const vars = new LoopVars();
  const body = new Lines();
  const point = new ExprEmitter(ctx, body, vars);
  renderReductionBody(point, analysis, frame, {
    loopHeader: (T, r, extent, kind) =>
      `${kind === 'stores' ? '_Pragma("omp simd") ' : ''}for (${T} ${r} = 0; ${r} < ${extent}; ++${r})`,
    combine: () => {},
    domainStores: (_out, emitter, stores) => {
      for (const s of stores) emitter.store(s);
    },
    lanes: analysis.reduceSize >= LONG_ROW ? LONG_LANES : LANES,
    rowScratch: ROW_SCRATCH,
    orderProbe: (v) => `px_f_bits(${v})`,
  });
  const I = frame.indexType;
  out.block(frame.signature, () => {
    if (analysis.domainSize === 0) return;
    const work = analysis.domainSize * Math.max(1, analysis.reduceSize);
    if (analysis.domainSize > 1 && work >= PARALLEL_MIN_WORK) out.push(PARALLEL_FOR);
    out.block(`for (${I} i = 0; i < ${frame.literal(analysis.domainSize)}; ++i)`, () => {
      declareAxes(out, analysis.kernel.domain, vars.axes, 'i', 'a', I, frame.literal);
      out.append(body);
    });
  });
  return out;
}
