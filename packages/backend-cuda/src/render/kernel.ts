import type { EmitContext, HelperName } from '@paradox/codegen-c/render';
import {
  analyzeKernel,
  type ContractionShape,
  IndexRenderer,
  type KernelAnalysis,
  renderHelpers,
  tileableContraction,
} from '@paradox/codegen-c/render';
import type { KernelProgram } from '@paradox/ir';
import { CUDA_DIALECT } from './cuda_dialect.js';
import { kernelFrame } from './kernel_frame.js';
import { blockReduce } from './templates/block_reduce.js';
import type { KernelTemplate } from './templates/template.js';
import { threadPerPoint } from './templates/thread_per_point.js';
import { tiledContraction } from './templates/tiled_contraction.js';

/** How reducing kernels are split among threads. 'auto' picks by size; tests force each. */
export type ReduceStrategy = 'auto' | 'serial' | 'block';

export interface RenderOptions {
  reduceStrategy?: ReduceStrategy;
  /** Use the tiled template for contractions (default true); false renders them as reductions. */
  tileContractions?: boolean;
  /** Declare kernels extern "C" (default true). */
  externC?: boolean;
  /** Use 64-bit index math even where int32 suffices (tests run the 64-bit path on small tensors). */
  forceWideIndices?: boolean;
  /** The program already passed `checkProgram` (the backend's compile): skip verifying it again. */
  verified?: boolean;
}

/** One kernel's self-contained CUDA C source and its launch configuration. */
export interface RenderedKernel {
  /** Kernel function name (k0, k1, ...: made by the compiler from the position). */
  name: string;
  source: string;
  strategy: KernelTemplate['strategy'];
  grid: [number, number, number];
  block: [number, number, number];
  /** Buffer ids bound to the kernel's parameters, in order. */
  params: number[];
  /** Uses barriers or warp operations. */
  cooperative: boolean;
  /** No thread has work (empty domain): the launch is skipped. */
  empty: boolean;
}

/** Reductions at least this long get a block per domain point... */
const BLOCK_MIN_REDUCE = 64;
/** ...unless the domain alone has this many points to spread over threads. */
const SERIAL_MIN_DOMAIN = 16384;

export function renderKernel(
  program: KernelProgram,
  position: number,
  options: RenderOptions = {},
): RenderedKernel {
  const kernel = program.kernels[position]!;
  const analysis = analyzeKernel(kernel, program, position, options.forceWideIndices ?? false);
  const name = `k${position}`;
  const frame = kernelFrame(name, analysis, { externC: options.externC ?? true });
  const helpers = new Set<HelperName>();
  const index = new IndexRenderer(analysis.space, analysis.wide);
  const ctx: EmitContext = { analysis, dialect: CUDA_DIALECT, helpers, index, param: frame.param };

  let template: KernelTemplate;
  const tile = options.tileContractions !== false ? matmulShape(analysis) : undefined;
  if (tile) template = tiledContraction(analysis, frame, ctx, tile);
  else if (!analysis.hasReduce) template = threadPerPoint(analysis, frame, ctx);
  else {
    const strategy = options.reduceStrategy ?? 'auto';
    const block =
      strategy === 'block' ||
      (strategy === 'auto' &&
        analysis.reduceSize >= BLOCK_MIN_REDUCE &&
        analysis.domainSize < SERIAL_MIN_DOMAIN);
    template = block ? blockReduce(analysis, frame, ctx) : threadPerPoint(analysis, frame, ctx);
  }

  for (const h of index.helpers) helpers.add(h);
  const helperText = renderHelpers(helpers, CUDA_DIALECT);
  const shape = (dims: readonly number[]): string => `[${dims.join(',')}]`;
  const header =
    `// Paradox kernel ${name}: ${template.strategy}, domain ${shape(kernel.domain)}` +
    (kernel.reduce ? `, reduce ${shape(kernel.reduce.shape)}` : '') +
    (analysis.wide ? ', 64-bit indices' : '');
  const source = [header, ...(helperText ? [helperText] : []), template.body.text(), ''].join('\n');
  return {
    name,
    source,
    strategy: template.strategy,
    grid: template.grid,
    block: template.block,
    params: frame.params,
    cooperative: template.cooperative,
    empty: analysis.domainSize === 0 || template.grid.some((g) => g === 0),
  };
}

/** A contraction kernel the tiled template handles: rows then one column axis last, one reduction axis. */
function matmulShape(analysis: KernelAnalysis): ContractionShape | undefined {
  const shape = tileableContraction(analysis);
  const { kernel } = analysis;
  const matmul =
    kernel.kind === 'contraction' &&
    shape?.m === kernel.domain.length - 2 &&
    shape.n.length === 1 &&
    kernel.reduce?.shape.length === 1;
  return matmul ? shape : undefined;
}
