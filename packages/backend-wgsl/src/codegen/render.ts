import type { Kernel, KernelProgram } from '@paradox/ir';
import { renderContraction } from './contraction.js';
import { renderElementwise } from './elementwise.js';
import { KernelCode } from './kernel-code.js';
import { renderReduce } from './reduce.js';
import type { RenderedKernel } from './shader.js';

export interface RenderOptions {
  /** Workgroup size of elementwise and serial-reduction kernels. */
  workgroupSize: number;
  /** Workgroup size of tree reductions (a power of two). */
  treeWorkgroupSize: number;
  /** Workgroup size of register-blocked matmuls. */
  contractionWorkgroupSize: number;
  /**
   * Most items (an item is 4 elements in vec4 kernels) one elementwise thread handles in a loop.
   * 1 by default: on SwiftShader the loop measured slower than more workgroups (W1, 4M elements).
   */
  maxItemsPerThread: number;
  /** vec4 loads/stores where contiguous. */
  vectorize: boolean;
  /** Reduction template choice; 'auto' picks by shape. */
  reduceStrategy: 'auto' | 'serial' | 'tree';
  /** Use the register-blocked contraction template for matmul kernels. */
  tileContractions: boolean;
}

export const DEFAULT_RENDER_OPTIONS: RenderOptions = {
  workgroupSize: 256,
  treeWorkgroupSize: 256,
  contractionWorkgroupSize: 64,
  maxItemsPerThread: 1,
  vectorize: true,
  reduceStrategy: 'auto',
  tileContractions: true,
};

/** Fits the options to a device: workgroup sizes within its limits, tree sizes powers of two. */
export function fitToLimits(opts: RenderOptions, maxWorkgroupSize: number): RenderOptions {
  const pow2 = (n: number) => 2 ** Math.floor(Math.log2(Math.max(1, n)));
  return {
    ...opts,
    workgroupSize: Math.min(opts.workgroupSize, maxWorkgroupSize),
    treeWorkgroupSize: pow2(Math.min(opts.treeWorkgroupSize, maxWorkgroupSize)),
    contractionWorkgroupSize: Math.min(opts.contractionWorkgroupSize, maxWorkgroupSize),
  };
}

/**
 * Few outputs over long reductions go to a workgroup each (tree); many outputs, or short
 * reductions, get a thread each (serial), which keeps a CPU adapter's threads busy without barriers.
 */
function pickStrategy(domainSize: number, reduceSize: number, opts: RenderOptions): 'serial' | 'tree' {
  if (opts.reduceStrategy !== 'auto') return opts.reduceStrategy;
  if (reduceSize >= 8192) return 'tree';
  return reduceSize >= 256 && domainSize <= 4096 ? 'tree' : 'serial';
}

/** Renders kernel number `index` of a program with the template its shape calls for. */
export function renderKernel(kernel: Kernel, index: number, opts: RenderOptions): RenderedKernel {
  const code = new KernelCode(kernel, `kernel ${index}`);
  const reduces = kernel.reduce !== undefined;
  if (!reduces)
    return renderElementwise(code, {
      workgroupSize: opts.workgroupSize,
      maxItemsPerThread: opts.maxItemsPerThread,
      vectorize: opts.vectorize,
    });
  if (kernel.kind === 'contraction' && opts.tileContractions) {
    const r = renderContraction(code, {
      workgroupSize: opts.contractionWorkgroupSize,
      vectorize: opts.vectorize,
    });
    if (r) return r;
  }
  const strategy = pickStrategy(code.domainSize, code.reduceSize, opts);
  return renderReduce(code, {
    workgroupSize: strategy === 'tree' ? opts.treeWorkgroupSize : opts.workgroupSize,
    strategy,
  });
}

/** Every kernel's WGSL, for paradox-opt --emit code and inspect(). Numbers only; no IR strings. */
export function renderProgram(program: KernelProgram, opts: RenderOptions): string {
  return program.kernels
    .map((k, i) => {
      const r = renderKernel(k, i, opts);
      return `// kernel ${i}: ${r.template}, ${r.workgroups} workgroup(s)\n${r.source}`;
    })
    .join('\n');
}
