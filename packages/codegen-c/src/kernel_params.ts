import type { BufferDecl } from '@paradox/ir';
import type { KernelAnalysis } from './analysis.js';
import { indexLiteral, storageType } from './c_family.js';

/** A kernel's parameters and index arithmetic type, as every C-family target declares them. */
export interface KernelParams {
  /** Buffer ids in parameter order. */
  params: number[];
  /** C type of index arithmetic: int, or long long for tensors beyond 2^31 elements. */
  indexType: string;
  literal(v: number): string;
  /** Parameter name of a buffer (p0, p1, ... by position). */
  param(buffer: number): string;
  /** No two parameters may share memory, so pointers can be declared restrict. */
  restrict: boolean;
  /** Parameter declarations, `const T* <restrict> pN`, with the target's spelling of restrict. */
  declarations(restrictKeyword: string): string[];
}

/**
 * Parameters are named p0, p1, ... by position. Pointers are restrict unless two of them may
 * share memory (temporaries in one memory-plan slot), and `const` when the kernel only reads.
 */
export function kernelParams(analysis: KernelAnalysis): KernelParams {
  const params = analysis.buffers.map((b) => b.id);
  const position = new Map(params.map((id, i) => [id, i]));
  const restrict = !mayAlias(analysis.buffers, analysis.stored);
  const declare = (b: BufferDecl, i: number, keyword: string): string => {
    const constness = analysis.stored.has(b.id) ? '' : 'const ';
    return `${constness}${storageType(b.dtype)}* ${restrict ? `${keyword} ` : ''}p${i}`;
  };
  return {
    params,
    indexType: analysis.wide ? 'long long' : 'int',
    literal: (v) => indexLiteral(v, analysis.wide),
    param: (buffer) => `p${position.get(buffer)!}`,
    restrict,
    declarations: (keyword) => analysis.buffers.map((b, i) => declare(b, i, keyword)),
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
