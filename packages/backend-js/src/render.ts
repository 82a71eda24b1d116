import type { Kernel, KernelProgram } from '@paradox/ir';
import { DEFAULT_TILE, planContraction, renderContraction, type TileShape } from './contraction.js';
import { planDeepChain, renderDeepChain } from './deep-chain.js';
import { KernelAnalysis } from './kernel-analysis.js';
import { renderLoopNest } from './loop-nest.js';
import { SourceWriter } from './source-writer.js';

export interface RenderedKernel {
  /**
   * Body of a factory `(rt) => kernel`: the kernel function takes one typed array per buffer it touches.
   * Shapes, strides and constants are baked in as literals, so V8 sees constant loop bounds; buffer
   * ids are not (parameters are numbered by first use), so the text is a structural key of the kernel.
   */
  source: string;
  /** Buffer ids, in parameter order. */
  params: number[];
  /** Whether the register-tiled contraction path was used. */
  tiled: boolean;
}

export interface RenderOptions {
  /** Register block for contraction kernels; `false` renders them as plain loop nests. */
  tile?: TileShape | false;
}

/**
 * The kernel function is returned in parentheses: V8 then compiles it with the factory (one full parse)
 * instead of pre-parsing it there and parsing it again on the first call, which for a 1,000-op chain
 * is a third of what `new Function` and the first run cost (W5).
 */
export const KERNEL_CLOSE = '});';

/** Renders one kernel. `where` names it in errors (e.g. 'kernel 3'); nothing from the IR enters the source. */
export function renderKernel(kernel: Kernel, where: string, options: RenderOptions = {}): RenderedKernel {
  const analysis = new KernelAnalysis(kernel, where);
  const w = new SourceWriter();
  const tile = options.tile ?? DEFAULT_TILE;
  const plan = tile ? planContraction(analysis) : undefined;
  const deep = plan ? undefined : planDeepChain(analysis);
  w.line("'use strict';");
  // A factory-local Math: kernels read it from a context slot instead of a global lookup, whose
  // inline cache misses once per call site on the first run (~1,000 sites in a long chain).
  w.line('const Math = globalThis.Math;');
  if (deep) renderDeepChain(analysis, deep, w);
  else
    w.block(
      `return (function kernel(${analysis.params.map((_, i) => `p${i}`).join(', ')})`,
      () => {
        if (plan && tile) renderContraction(analysis, plan, tile, w);
        else renderLoopNest(analysis, w);
      },
      KERNEL_CLOSE,
    );
  return { source: w.toString(), params: analysis.params, tiled: plan !== undefined };
}

/** The whole program's generated source, for `paradox-opt --emit code --backend js` and inspect(). */
export function renderProgram(program: KernelProgram, options: RenderOptions = {}): string {
  return program.kernels
    .map((k, i) => `// kernel ${i}\n${renderKernel(k, `kernel ${i}`, options).source}`)
    .join('\n\n');
}
