import { verifyForRender } from '@paradox/codegen-c/render';
import type { KernelProgram } from '@paradox/ir';
import { type RenderedKernel, type RenderOptions, renderKernel } from './kernel.js';

/** A program's kernels as CUDA C, in launch order. */
export interface RenderedProgram {
  kernels: RenderedKernel[];
}

export function renderCudaProgram(program: KernelProgram, options: RenderOptions = {}): RenderedProgram {
  verifyForRender(program, options.verified);
  return { kernels: program.kernels.map((_, i) => renderKernel(program, i, options)) };
}

/** The CUDA C of every kernel of `program`, one translation unit per kernel, concatenated (paradox-opt --emit code). */
export function renderProgram(program: KernelProgram, options: RenderOptions = {}): string {
  const { kernels } = renderCudaProgram(program, options);
  return kernels
    .map(
      (k) =>
        `${k.source}// launch ${k.name}<<<dim3(${k.grid.join(', ')}), dim3(${k.block.join(', ')})>>>` +
        `(${k.params.map((_, i) => `p${i}`).join(', ')})${k.empty ? ' (skipped: empty domain)' : ''}\n`,
    )
    .join('\n');
}
