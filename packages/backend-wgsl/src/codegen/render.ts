import type { Kernel, KernelProgram } from '@paradox/ir';
import { renderContraction } from './contraction.js';
import { renderElementwise } from './elementwise.js';
import { KernelCode } from './kernel-code.js';
import { renderReduce } from './reduce.js';
import { assemble, type RenderedKernel } from './shader.js';

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
  treeWorkgroupSize: 64,
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
 * A thread per output point (serial) unless there are too few outputs to fill even one SIMD group
 * of a CPU adapter, then a workgroup per output point (tree). Measured on SwiftShader (sum of exp
 * over 1M elements): serial wins from 4 outputs up (1024 rows: 6.6 ms serial, 283 ms tree of 256,
 * 38 ms tree of 16), because a workgroup barrier costs in proportion to the workgroup's size and
 * its threads run as coroutines; with 1 output a tree of 64 is 4x faster than one thread.
 */
function pickStrategy(domainSize: number, reduceSize: number, opts: RenderOptions): 'serial' | 'tree' {
  if (opts.reduceStrategy !== 'auto') return opts.reduceStrategy;
  return domainSize < TREE_MAX_OUTPUTS && reduceSize >= TREE_MIN_REDUCTION ? 'tree' : 'serial';
}
const TREE_MAX_OUTPUTS = 4;
const TREE_MIN_REDUCTION = 1024;

/** Renders kernel number `index` of a program with the template its shape calls for. */
export function renderKernel(kernel: Kernel, index: number, opts: RenderOptions): RenderedKernel {
  const code = new KernelCode(kernel, `kernel ${index}`);
  // No output point: nothing runs (the runtime skips 0 workgroups), and templates would divide by
  // the zero extents (a batched matmul [2,0,1] x [2,1,0] failed with "integer division by zero").
  if (code.domainSize === 0)
    return { source: assemble(code, 1, [], []), bindings: code.bindings, workgroups: 0, template: 'empty' };
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
    vectorize: opts.vectorize,
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
