import type { EmitContext, KernelAnalysis } from '@paradox/codegen-c/render';
import { declareAxes, ExprEmitter, Lines, LoopVars, renderReductionBody } from '@paradox/codegen-c/render';
import type { KernelFrame } from '../kernel_frame.js';
import type { KernelTemplate } from './template.js';

const THREADS = 256;
/** Grid-stride loops need no more blocks than this to fill any current GPU. */
const MAX_BLOCKS = 8192;

/**
 * One thread per domain point in a grid-stride loop. Elementwise kernels are just this; a
 * reducing kernel loops over its reduction domain serially inside the thread (best when the
 * reduction is short or the domain alone fills the GPU).
 */
export function threadPerPoint(
  analysis: KernelAnalysis,
  frame: KernelFrame,
  ctx: EmitContext,
): KernelTemplate {
  const out = new Lines();
  const vars = new LoopVars();
  const body = new Lines();
  const point = new ExprEmitter(ctx, body, vars);
  if (analysis.hasReduce) {
    renderReductionBody(point, analysis, frame, {
      loopHeader: (T, r, extent) => `for (${T} ${r} = 0; ${r} < ${extent}; ++${r})`,
      combine: () => {},
      domainStores: (_out, emitter, stores) => {
        for (const s of stores) emitter.store(s);
      },
    });
  } else {
    for (const s of analysis.domainStores) point.store(s);
  }
  const T = frame.indexType;
  const D = frame.literal(analysis.domainSize);
  out.block(frame.signature(THREADS), () => {
    out.block(
      `for (${T} i = (${T})blockIdx.x * blockDim.x + threadIdx.x; i < ${D}; i += (${T})blockDim.x * gridDim.x)`,
      () => {
        declareAxes(out, analysis.kernel.domain, vars.axes, 'i', 'a', T, frame.literal);
        out.append(body);
      },
    );
  });
  const blocks = Math.min(Math.ceil(analysis.domainSize / THREADS), MAX_BLOCKS);
  return {
    strategy: analysis.hasReduce ? 'serial-reduce' : 'elementwise',
    body: out,
    grid: [blocks, 1, 1],
    block: [THREADS, 1, 1],
    cooperative: false,
  };
}
