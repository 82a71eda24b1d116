import type { BufferDecl, Kernel, KernelProgram } from '@paradox/ir';
import { BYTES_PER_ELEMENT } from '@paradox/ir';
import { loadedBuffers } from './memory-plan.js';

/** Traffic figures for one kernel, counting each buffer it touches once (the best a cache can do). */
export interface KernelStats {
  name: string;
  kind: Kernel['kind'];
  domain: number[];
  reduce?: number[];
  /** Distinct buffers loaded and stored. */
  buffersRead: number;
  buffersWritten: number;
  bytesRead: number;
  bytesWritten: number;
  sourceNodes: string[];
}

export interface ProgramStats {
  kernelCount: number;
  kernels: KernelStats[];
  bytesRead: number;
  bytesWritten: number;
  /** Bytes no program for this graph can avoid: the inputs and constants it reads plus its outputs. */
  minimumBytes: number;
  /** Memory the planned slots hold for intermediates. */
  slotBytes: number;
}

const bytesOf = (b: BufferDecl): number => b.size * BYTES_PER_ELEMENT[b.dtype];

export function describeProgram(program: KernelProgram): ProgramStats {
  const byId = new Map(program.buffers.map((b) => [b.id, b]));
  const external = new Set<number>();
  const kernels = program.kernels.map((k): KernelStats => {
    const read = [...loadedBuffers(k.exprs)].map((id) => byId.get(id)!);
    const written = [...new Set(k.stores.map((s) => s.buffer))].map((id) => byId.get(id)!);
    for (const b of read) if (b.kind === 'input' || b.kind === 'const') external.add(b.id);
    return {
      name: k.name,
      kind: k.kind,
      domain: [...k.domain],
      ...(k.reduce ? { reduce: [...k.reduce.shape] } : {}),
      buffersRead: read.length,
      buffersWritten: written.length,
      bytesRead: read.reduce((s, b) => s + bytesOf(b), 0),
      bytesWritten: written.reduce((s, b) => s + bytesOf(b), 0),
      sourceNodes: [...(k.sourceNodes ?? [])],
    };
  });
  const outputBytes = program.outputs.reduce((s, id) => s + bytesOf(byId.get(id)!), 0);
  return {
    kernelCount: kernels.length,
    kernels,
    bytesRead: kernels.reduce((s, k) => s + k.bytesRead, 0),
    bytesWritten: kernels.reduce((s, k) => s + k.bytesWritten, 0),
    minimumBytes: [...external].reduce((s, id) => s + bytesOf(byId.get(id)!), 0) + outputBytes,
    slotBytes: program.slots.reduce((s, slot) => s + slot.bytes, 0),
  };
}

/** One line per kernel plus totals, for reports and paradox-opt. */
export function formatProgramStats(stats: ProgramStats): string {
  const lines = stats.kernels.map((k) => {
    const loops = `[${k.domain.join(',')}]${k.reduce ? ` x reduce [${k.reduce.join(',')}]` : ''}`;
    return `${k.name} ${k.kind} ${loops}: reads ${k.bytesRead} B from ${k.buffersRead} buffer(s), writes ${k.bytesWritten} B`;
  });
  const total = stats.bytesRead + stats.bytesWritten;
  lines.push(
    `${stats.kernelCount} kernel(s), ${total} B moved (minimum ${stats.minimumBytes} B), ${stats.slotBytes} B of temp slots`,
  );
  return lines.join('\n');
}
