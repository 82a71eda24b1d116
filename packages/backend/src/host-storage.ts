import {
  BYTES_PER_ELEMENT,
  type DType,
  type KernelProgram,
  outputsNotProvablyCovered,
  type TypedArray,
} from '@paradox/ir';
import { MalformedProgramError } from './errors.js';
import { allocateHostMemory, HostBuffer } from './host-buffer.js';
import { HostMemoryPool, HostSlab, hostView, viewType } from './host-memory.js';
import { reusedHostOutput } from './run-inputs.js';
import type { DeviceBuffer } from './types.js';

/** What a host backend allocates for a program (tests count these through a backend option). */
export interface HostAllocationEvent {
  purpose: 'slot' | 'output' | 'buffer';
  bytes: number;
}

export type HostAllocator = (event: HostAllocationEvent) => void;

/**
 * The storage a program owns, made once per compiled program: each temp a view into its memory-plan
 * slot (one ArrayBuffer per slot, shared by every temp planned into it), each constant the program's
 * own array. Keyed by buffer id; inputs and outputs are absent (a run supplies them). A temp that
 * does not fit its slot or a constant without matching data is a MalformedProgramError.
 */
export function programStorage(
  program: KernelProgram,
  onAllocate: HostAllocator = () => {},
): Map<number, TypedArray> {
  const slots = new Map<number, ArrayBuffer>();
  const slotBytes = new Map(program.slots.map((s) => [s.id, s.bytes]));
  const storage = new Map<number, TypedArray>();
  for (const b of program.buffers) {
    const bytes = b.size * BYTES_PER_ELEMENT[b.dtype];
    if (b.kind === 'temp') {
      let memory: ArrayBuffer;
      if (b.slot === undefined) {
        onAllocate({ purpose: 'slot', bytes });
        memory = allocateHostMemory(bytes, `temp buffer ${b.id}`);
      } else {
        const planned = slotBytes.get(b.slot);
        if (planned === undefined || planned < bytes) {
          throw new MalformedProgramError(
            `temp buffer ${b.id} (${bytes} bytes) does not fit slot ${b.slot}`,
            'program',
          );
        }
        let shared = slots.get(b.slot);
        if (!shared) {
          onAllocate({ purpose: 'slot', bytes: planned });
          shared = allocateHostMemory(planned, `slot ${b.slot}`);
          slots.set(b.slot, shared);
        }
        memory = shared;
      }
      storage.set(b.id, hostView(b.dtype, memory, b.size));
    } else if (b.kind === 'const') {
      const data = b.constant === undefined ? undefined : program.constants[b.constant];
      if (!data || data.length !== b.size || !(data instanceof viewType(b.dtype))) {
        throw new MalformedProgramError(
          `constant buffer ${b.id} has no matching ${b.dtype} x ${b.size} data`,
          'program',
        );
      }
      storage.set(b.id, data);
    }
  }
  return storage;
}

/**
 * Makes the output buffers of each run of a program: donated memory (Executable.run's `reuse`) for an
 * output the program writes in full, else memory freed earlier (a small output's array from `slab`, a
 * large one's from `pool`; cleared first for an output the program may not write in full), else fresh
 * arrays (small ones carved from `slab` when given; a large one the program writes in full from
 * `pool.fresh`, uninitialised where the backend allows).
 */
export class ProgramOutputs {
  private readonly decls: OutputDecl[];
  private readonly count: number;

  constructor(
    program: KernelProgram,
    private readonly backend: string,
    private readonly pool: HostMemoryPool,
    private readonly onAllocate: HostAllocator = () => {},
    private readonly slab?: HostSlab,
  ) {
    const decls = new Map(program.buffers.map((b) => [b.id, b]));
    const partial = new Set(outputsNotProvablyCovered(program));
    this.decls = program.outputs.map((id) => {
      const d = decls.get(id);
      if (!d) throw new MalformedProgramError(`an output names unknown buffer ${id}`, 'program');
      const bytes = d.size * BYTES_PER_ELEMENT[d.dtype];
      return {
        dtype: d.dtype,
        size: d.size,
        bytes,
        clear: partial.has(id),
        view: viewType(d.dtype),
        small: slab !== undefined && bytes <= HostSlab.MAX_BYTES,
      };
    });
    this.count = this.decls.length;
  }

  take(reuse?: readonly (DeviceBuffer | undefined)[]): HostBuffer[] {
    const outputs = new Array<HostBuffer>(this.count);
    for (let o = 0; o < this.count; o++) outputs[o] = this.takeOne(this.decls[o]!, o, reuse);
    return outputs;
  }

  private takeOne(d: OutputDecl, o: number, reuse: readonly (DeviceBuffer | undefined)[] | undefined) {
    // Donated memory is written in place: never for a partially written output (it would need clearing).
    if (reuse !== undefined && !d.clear) {
      const donated = reusedHostOutput(reuse, o, d, this.backend);
      if (donated) return donated;
    }
    const reused = d.small
      ? this.slab!.reuse(d.dtype, d.size)
      : d.bytes >= HostMemoryPool.MIN_BYTES
        ? this.pool.take(d.bytes)
        : undefined;
    if (reused !== undefined) {
      const view = reused instanceof ArrayBuffer ? hostView(d.dtype, reused, d.size) : reused;
      if (d.clear) view.fill(0);
      return new HostBuffer(this.backend, d.dtype, view);
    }
    this.onAllocate({ purpose: 'output', bytes: d.bytes });
    const fresh = d.small
      ? this.slab!.take(d.dtype, d.size, d.bytes)
      : d.clear || d.bytes < HostMemoryPool.MIN_BYTES
        ? new d.view(d.size)
        : hostView(d.dtype, this.pool.fresh(d.bytes), d.size);
    return new HostBuffer(this.backend, d.dtype, fresh);
  }
}

interface OutputDecl {
  dtype: DType;
  size: number;
  bytes: number;
  /** The program may not write every element: reused memory is cleared first. */
  clear: boolean;
  view: ReturnType<typeof viewType>;
  /** Carved from (and recycled through) the slab. */
  small: boolean;
}
