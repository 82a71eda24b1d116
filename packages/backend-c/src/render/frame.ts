import { type KernelAnalysis, type KernelParams, kernelParams } from '@paradox/codegen-c/render';

/** A kernel as a static C function: `static void kN(const float* restrict p0, ...)`. */
export interface CFrame extends KernelParams {
  name: string;
  signature: string;
}

export function cFrame(name: string, analysis: KernelAnalysis): CFrame {
  const params = kernelParams(analysis);
  return {
    ...params,
    name,
    signature: `static void ${name}(${params.declarations('restrict').join(', ') || 'void'})`,
  };
}

/** Points of work (domain x reduction) from which a kernel is worth spreading over threads. */
export const PARALLEL_MIN_WORK = 32768;

/** `#pragma omp parallel for` over the loop that follows, on `px_threads` threads. */
export const PARALLEL_FOR = '#pragma omp parallel for schedule(static) num_threads(px_threads)';
