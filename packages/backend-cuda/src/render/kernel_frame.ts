import type { BufferDecl } from '@paradox/ir';
import type { KernelAnalysis } from './analysis.js';
import { indexLiteral, storageType } from './c_family.js';

/** How a kernel is declared: its name, parameters and index arithmetic type. */
export interface KernelFrame {
  name: string;
  /** Buffer ids in parameter order. */
  params: number[];
  /** C type of index arithmetic: int, or long long for tensors beyond 2^31 elements. */
  indexType: string;
  literal(v: number): string;
  param(buffer: number): string;
  signature(threadsPerBlock: number): string;
}

export interface FrameOptions {
  /** Declare the kernel extern "C" (unmangled, for cuModuleGetFunction). The CPU emulation turns it off to namespace kernels. */
  externC: boolean;
}

/**
 * Parameters are named p0, p1, ... by position. Pointers are `__restrict__` unless two of them
 * may share memory (temporaries in one memory-plan slot), and `const` when the kernel only reads.
 */
export function kernelFrame(name: string, analysis: KernelAnalysis, options: FrameOptions): KernelFrame {
  const params = analysis.buffers.map((b) => b.id);
  const position = new Map(params.map((id, i) => [id, i]));
  const restrict = !mayAlias(analysis.buffers, analysis.stored);
  const indexType = analysis.wide ? 'long long' : 'int';
  const declare = (b: BufferDecl, i: number): string => {
    const constness = analysis.stored.has(b.id) ? '' : 'const ';
    return `${constness}${storageType(b.dtype)}* ${restrict ? '__restrict__ ' : ''}p${i}`;
  };
  return {
    name,
    params,
    indexType,
    literal: (v) => indexLiteral(v, analysis.wide),
    param: (buffer) => `p${position.get(buffer)!}`,
    signature: (threads) =>
      `${options.externC ? 'extern "C" ' : ''}__global__ void __launch_bounds__(${threads}) ${name}(` +
      `${analysis.buffers.map(declare).join(', ')})`,
  };
}

/** Two distinct buffers in one memory slot, at least one written by the kernel. */
function mayAlias(buffers: readonly BufferDecl[], stored: ReadonlySet<number>): boolean {
  const bySlot = new Map<number, BufferDecl[]>();
  for (const b of buffers) {
    if (b.kind !== 'temp' || b.slot === undefined) continue;
    bySlot.set(b.slot, [...(bySlot.get(b.slot) ?? []), b]);
  }
  return [...bySlot.values()].some((group) => group.length > 1 && group.some((b) => stored.has(b.id)));
}
