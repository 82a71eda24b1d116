import { type KernelAnalysis, type KernelParams, kernelParams } from '@paradox/codegen-c/render';

/** How a CUDA kernel is declared: its name, parameters and index arithmetic type. */
export interface KernelFrame extends KernelParams {
  name: string;
  signature(threadsPerBlock: number): string;
}

export interface FrameOptions {
  /** Declare the kernel extern "C" (unmangled, for cuModuleGetFunction). The CPU emulation turns it off to namespace kernels. */
  externC: boolean;
}

/** A `__global__` kernel whose pointers are `__restrict__` where they cannot alias (see kernelParams). */
export function kernelFrame(name: string, analysis: KernelAnalysis, options: FrameOptions): KernelFrame {
  const params = kernelParams(analysis);
  return {
    ...params,
    name,
    signature: (threads) =>
      `${options.externC ? 'extern "C" ' : ''}__global__ void __launch_bounds__(${threads}) ${name}(` +
      `${params.declarations('__restrict__').join(', ')})`,
  };
}
