import {
  analyzeKernel,
  type EmitContext,
  type HelperName,
  IndexRenderer,
  renderHelpers,
  storageType,
  verifyForRender,
} from '@paradox/codegen-c/render';
import type { KernelProgram } from '@paradox/ir';
import { C_DIALECT } from './dialect.js';
import { renderElementwise } from './elementwise.js';
import { cFrame } from './frame.js';
import { MATMUL_PRELUDE, renderMatmul, tileableMatmul } from './matmul.js';
import { renderReduce } from './reduce.js';
import { fuseRows } from './row_fusion.js';
import { VECTOR_MATH } from './vector_math.js';
import { renderWindowReduce, windowReducible } from './window_reduce.js';

/** The entry point every program's shared object exports. */
export const ENTRY = 'px_run';

/**
 * Most buffers passed as separate entry-point parameters: koffi calls functions of at most 64
 * parameters (the thread count is one). A program with more buffers gets `px_run(threads, void** b)`,
 * one array of pointers (see `wideEntry`).
 */
export const MAX_DIRECT_BUFFERS = 63;

/** Whether a program of `buffers` buffers takes them as one pointer array rather than one parameter each. */
export function wideEntry(buffers: number): boolean {
  return buffers > MAX_DIRECT_BUFFERS;
}

export interface RenderOptions {
  /** Use the packed, register-blocked matmul for float32 contractions (default true). */
  tileContractions?: boolean;
  /** The program already passed `checkProgram` (the backend's compile): skip verifying it again. */
  verified?: boolean;
}

/** A program as one C translation unit. */
export interface RenderedProgram {
  source: string;
  /** Per-kernel source (for Executable.sources). */
  kernels: string[];
  /** Kernel strategies, in order (tests and reports). */
  strategies: ('elementwise' | 'reduce' | 'window' | 'matmul')[];
}

/**
 * One translation unit per program: the vector math, the helpers the kernels use, one static
 * function per kernel, and `px_run(threads, b0, b1, ...)` with one pointer per program buffer
 * (in `program.buffers` order; `px_run(threads, b)` with `b` an array of them past
 * MAX_DIRECT_BUFFERS), which runs the kernels in order. Names and numbers are made
 * here; nothing from the IR is copied into the source.
 */
export function renderCProgram(program: KernelProgram, options: RenderOptions = {}): RenderedProgram {
  verifyForRender(program, options.verified);
  const helpers = new Set<HelperName>();
  const bufferIndex = new Map(program.buffers.map((b, i) => [b.id, i]));
  const kernels: string[] = [];
  const strategies: RenderedProgram['strategies'] = [];
  const wide = wideEntry(program.buffers.length);
  const calls: string[] = [];
  fuseRows(program).forEach(({ kernel, nonPositive }, position) => {
    const analysis = analyzeKernel(kernel, program, position);
    const name = `k${position}`;
    const frame = cFrame(name, analysis);
    const index = new IndexRenderer(analysis.space, analysis.wide);
    const ctx: EmitContext = {
      analysis,
      dialect: C_DIALECT,
      helpers,
      index,
      param: frame.param,
      nonPositive,
    };
    const tile = options.tileContractions !== false ? tileableMatmul(analysis) : undefined;
    const window = !tile && windowReducible(ctx);
    const strategy = tile ? 'matmul' : window ? 'window' : analysis.hasReduce ? 'reduce' : 'elementwise';
    const lines = tile
      ? renderMatmul(frame, ctx, tile)
      : window
        ? renderWindowReduce(frame, ctx)
        : analysis.hasReduce
          ? renderReduce(frame, ctx)
          : renderElementwise(frame, ctx);
    for (const h of index.helpers) helpers.add(h);
    strategies.push(strategy);
    kernels.push(`// kernel ${name}: ${strategy}\n${lines.text()}\n`);
    const args = analysis.buffers.map((b) => {
      const constness = analysis.stored.has(b.id) ? '' : 'const ';
      const i = bufferIndex.get(b.id)!;
      return `(${constness}${storageType(b.dtype)}*)${wide ? `b[${i}]` : `b${i}`}`;
    });
    calls.push(`  ${name}(${args.join(', ')});`);
  });
  const params = wide ? ['void** b'] : program.buffers.map((_, i) => `void* b${i}`);
  const entry = [
    `void ${ENTRY}(int threads${params.map((p) => `, ${p}`).join('')}) {`,
    '  px_threads = threads < 1 ? 1 : threads;',
    ...calls,
    '}',
  ].join('\n');
  const source = [
    '// Paradox C program (generated)',
    '#include <math.h>',
    '#include <stdbool.h>',
    'static int px_threads = 1;',
    VECTOR_MATH,
    ...(strategies.includes('matmul') ? [MATMUL_PRELUDE] : []),
    renderHelpers(helpers, C_DIALECT),
    ...kernels,
    entry,
    '',
  ].join('\n');
  return { source, kernels, strategies };
}
