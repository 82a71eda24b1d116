import type { Lines } from '@paradox/codegen-c/render';

/** How a kernel was rendered and must be launched. */
export interface KernelTemplate {
  strategy: 'elementwise' | 'serial-reduce' | 'block-reduce' | 'tiled-contraction';
  /** The kernel definition (signature and body). */
  body: Lines;
  grid: [number, number, number];
  block: [number, number, number];
  /** Uses __syncthreads or warp operations (the CPU emulation then runs threads as fibers). */
  cooperative: boolean;
}
