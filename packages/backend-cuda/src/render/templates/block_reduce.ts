import type { Accumulator, KernelAnalysis } from '@paradox/codegen-c/render';
import {
  declareAxes,
  type EmitContext,
  ExprEmitter,
  Lines,
  LoopVars,
  renderReductionBody,
} from '@paradox/codegen-c/render';
import type { KernelFrame } from '../kernel_frame.js';
import type { KernelTemplate } from './template.js';

const MAX_BLOCKS = 8192;
const FULL_MASK = '0xffffffffu';

/** Threads per block: a power of two from 32 to 256, about the reduction length. */
export function blockThreads(reduceSize: number): number {
  let t = 32;
  while (t < 256 && t < reduceSize) t *= 2;
  return t;
}

/**
 * One block per domain point (grid-stride over points). The block's threads split the reduction
 * domain, fold their share, then combine: shuffle-down within each warp, warp leaders through
 * shared memory, warp 0 shuffles again, and the result is broadcast to every thread (needed by
 * later passes and by the reduction-phase stores, which the threads split again).
 */
export function blockReduce(analysis: KernelAnalysis, frame: KernelFrame, ctx: EmitContext): KernelTemplate {
  const threads = blockThreads(analysis.reduceSize);
  const warps = threads / 32;
  const shared: string[] = [];
  let usesLane = false;

  const shuffleDown = (acc: Accumulator, out: Lines): void => {
    out.block(`for (int offset = 16; offset > 0; offset >>= 1)`, () => {
      for (const [k, v] of acc.variables.entries()) {
        out.push(
          `const ${acc.types[k]} ${v}_o = ${shuffle('__shfl_down_sync', v, acc.types[k]!, 'offset')};`,
        );
      }
      out.push(acc.combine((v) => `${v}_o`));
    });
  };

  const vars = new LoopVars();
  const body = new Lines();
  const point = new ExprEmitter(ctx, body, vars);
  renderReductionBody(point, analysis, frame, {
    loopHeader: (T, r, extent) => `for (${T} ${r} = threadIdx.x; ${r} < ${extent}; ${r} += blockDim.x)`,
    combine: (out, _pass, accs) => {
      for (const acc of accs) shuffleDown(acc, out);
      if (warps === 1) {
        for (const acc of accs)
          for (const [k, v] of acc.variables.entries())
            out.push(`${v} = ${shuffle('__shfl_sync', v, acc.types[k]!, '0')};`);
        return;
      }
      usesLane = true;
      const scratch = (v: string): string => `${v}_warp`;
      for (const acc of accs) {
        for (const [k, v] of acc.variables.entries())
          shared.push(`__shared__ ${acc.types[k]} ${scratch(v)}[${warps}];`);
      }
      out.block('if (lane == 0)', () => {
        for (const acc of accs) for (const v of acc.variables) out.push(`${scratch(v)}[warp] = ${v};`);
      });
      out.push('__syncthreads();');
      out.block('if (warp == 0)', () => {
        for (const acc of accs) {
          for (const [k, v] of acc.variables.entries()) {
            out.push(`${v} = lane < ${warps} ? ${scratch(v)}[lane] : ${acc.identity[k]};`);
          }
          shuffleDown(acc, out);
          out.block('if (lane == 0)', () => {
            for (const v of acc.variables) out.push(`${scratch(v)}[0] = ${v};`);
          });
        }
      });
      out.push('__syncthreads();');
      for (const acc of accs) for (const v of acc.variables) out.push(`${v} = ${scratch(v)}[0];`);
    },
    domainStores: (out, emitter, stores) => {
      if (stores.length === 0) return;
      // Every thread holds the reduce results; thread 0 writes.
      const writes = new Lines();
      const writer = emitter.nested(writes);
      for (const s of stores) writer.store(s);
      out.block('if (threadIdx.x == 0)', () => out.append(writes));
    },
  });

  const T = frame.indexType;
  const D = frame.literal(analysis.domainSize);
  const out = new Lines();
  out.block(frame.signature(threads), () => {
    out.push(...shared);
    if (usesLane) out.push('const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;');
    out.block(`for (${T} i = blockIdx.x; i < ${D}; i += gridDim.x)`, () => {
      declareAxes(out, analysis.kernel.domain, vars.axes, 'i', 'a', T, frame.literal);
      out.append(body);
      if (usesLane) out.push('__syncthreads();  // the next point reuses the shared scratch');
    });
  });
  return {
    strategy: 'block-reduce',
    body: out,
    grid: [Math.min(analysis.domainSize, MAX_BLOCKS), 1, 1],
    block: [threads, 1, 1],
    cooperative: true,
  };
}

/** A warp shuffle of a value of C type `type` (bool travels as int). */
function shuffle(fn: string, v: string, type: string, arg: string): string {
  return type === 'bool'
    ? `${fn}(${FULL_MASK}, (int)${v}, ${arg}) != 0`
    : `${fn}(${FULL_MASK}, ${v}, ${arg})`;
}
