import {
  declareAxes,
  type EmitContext,
  ExprEmitter,
  type KernelAnalysis,
  Lines,
  LoopVars,
  renderReductionBody,
} from '@paradox/codegen-c/render';
import { getOp, hasOp } from '@paradox/ir';
import { type CFrame, PARALLEL_FOR } from './frame.js';

/** Lane accumulators per reduce: 16 float32 = one AVX-512 register, two AVX2 ones. */
const LANES = 16;
/**
 * A long row folds into four times as many, so four independent vector chains hide each step's
 * latency: a row in L1 (layerNorm's second pass) is otherwise bound by one chain of vector adds
 * (3 cycles each; layerNorm's kernel 175 -> 148 us on W4b once the lanes combine by halving).
 */
const LONG_LANES = 64;
const LONG_ROW = 8 * LONG_LANES;
/**
 * Cost units (see reductionPointCost) from which a reducing kernel forks threads. Waking and
 * joining a second thread costs about 8-12 us (passive waits, 2-core VM), so a kernel must take
 * about 20 us on one thread to gain: measured at 32,768 points, softmax (18 units per point, 0.48
 * ns) went 15.8 -> 20.0 us on 2 threads and layerNorm (8 units, 0.14 ns) 4.7 -> 9.4 us; at 131,072
 * points softmax gained (61 -> 45 us) and layerNorm did not (19.5 -> 24.5 us): about 0.02 ns a unit.
 */
const PARALLEL_MIN_COST = 1_400_000;
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
    const work = analysis.domainSize * Math.max(1, analysis.reduceSize) * reductionPointCost(analysis);
    if (analysis.domainSize > 1 && work >= PARALLEL_MIN_COST) out.push(PARALLEL_FOR);
    out.block(`for (${I} i = 0; i < ${frame.literal(analysis.domainSize)}; ++i)`, () => {
      declareAxes(out, analysis.kernel.domain, vars.axes, 'i', 'a', I, frame.literal);
      out.append(body);
    });
  });
  return out;
}

/**
 * Rough work per reduction point of a domain point, in units of one simple vector instruction:
 * every expr evaluated per reduction point (an op of registry cost c > 1 counts 2c: a polynomial
 * unary such as exp, cost 4, is about 8 instructions; a division or square root, cost 2, about 4
 * cycles of the divider; others 1), each fold step and each reduction-phase store. Softmax's fused
 * kernel is 18, layerNorm's 8.
 */
function reductionPointCost(analysis: KernelAnalysis): number {
  let cost = analysis.reductionStores.length;
  analysis.kernel.exprs.forEach((e, i) => {
    if (e.op === 'reduce') cost += 1;
    else if (!analysis.perReductionPoint[i]) return;
    else if (e.op === 'unary' || e.op === 'binary') cost += instructionsOf(e.fn);
    else cost += 1;
  });
  return Math.max(1, cost);
}

/** The registry's relative cost of `fn` (add = 1) in vector instructions. */
function instructionsOf(fn: string): number {
  const cost = hasOp(fn) ? (getOp(fn).traits.cost ?? 1) : 1;
  return cost > 1 ? 2 * cost : 1;
}
