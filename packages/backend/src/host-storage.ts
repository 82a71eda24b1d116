import {
  BYTES_PER_ELEMENT,
  type DType,
  type KernelProgram,
  outputsNotProvablyCovered,
  type TypedArray,
} from '@paradox/ir';
import { MalformedProgramError } from './errors.js';
import { allocateHostMemory, HostBuffer } from './host-buffer.js';
import { reusedHostOutput } from './run-inputs.js';
import type { DeviceBuffer } from './types.js';

/** What a host backend allocates for a program (tests count these through a backend option). */
export interface HostAllocationEvent {
  purpose: 'slot' | 'output' | 'buffer';
  bytes: number;
}

export type HostAllocator = (event: HostAllocationEvent) => void;

/**
 * Memory of freed buffers, kept for reuse by later allocations of the same byte size. A fresh
 * 16 MiB array costs milliseconds of page faults, more than a memory-bound kernel over it; a reused
 * one costs nothing, so a warm run whose previous output was freed allocates nothing. Small arrays
 * are cheaper to allocate than to pool and are left to the garbage collector.
 */
export class HostMemoryPool {
  static readonly MIN_BYTES = 64 * 1024;
  private readonly free = new Map<number, ArrayBuffer[]>();
  private held = 0;

  constructor(private readonly maxBytes = 512 * 1024 * 1024) {}

  /** A pooled buffer of exactly `bytes`, or undefined. Its contents are stale: callers overwrite it. */
  take(bytes: number): ArrayBuffer | undefined {
    if (bytes < HostMemoryPool.MIN_BYTES) return undefined;
    const buffer = this.free.get(bytes)?.pop();
    if (buffer) this.held -= bytes;
    return buffer;
  }

  give(buffer: ArrayBuffer): void {
    const bytes = buffer.byteLength;
    if (bytes < HostMemoryPool.MIN_BYTES || this.held + bytes > this.maxBytes) return;
    const list = this.free.get(bytes);
    if (list) list.push(buffer);
    else this.free.set(bytes, [buffer]);
    this.held += bytes;
  }

  /** Pools the memory of a freed array when the array covers all of it (a view into more is left alone). */
  giveArray(data: TypedArray): void {
    if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength)
      this.give(data.buffer as ArrayBuffer);
  }

  get heldBytes(): number {
    return this.held;
  }
}

/**
 * Small arrays carved from shared 64 KiB ArrayBuffers (64-byte aligned, never reused: each view is
 * fresh zeroed memory). For backends that hand arrays to native code: a small typed array of its own
 * lives on V8's heap, and giving native code its address first moves it off-heap, which costs more
 * than a small kernel. A slab stays alive while any array carved from it does.
 */
export class HostSlab {
  static readonly MAX_BYTES = 4096;
  private static readonly SLAB_BYTES = 64 * 1024;
  private slab = new ArrayBuffer(HostSlab.SLAB_BYTES);
  private offset = 0;

  /** A zeroed `size`-element array of `dtype` (`bytes` <= MAX_BYTES). */
  take(dtype: DType, size: number, bytes: number): TypedArray {
    if (this.offset + bytes > HostSlab.SLAB_BYTES) {
      this.slab = new ArrayBuffer(HostSlab.SLAB_BYTES);
      this.offset = 0;
    }
    const view = new (viewType(dtype))(this.slab, this.offset, size);
    this.offset += Math.ceil(bytes / 64) * 64 || 64;
    return view;
  }
}

const VIEW = { float32: Float32Array, int32: Int32Array, bool: Uint8Array } as const;

/** The host array type of `dtype`; float16 storage (widened) is not something host programs plan. */
function viewType(dtype: DType): (typeof VIEW)[keyof typeof VIEW] {
  if (dtype === 'float16')
    throw new MalformedProgramError('float16 buffers are not supported in host memory');
  return VIEW[dtype];
}

/** A `size`-element array of `dtype` over `buffer` (from offset 0). */
export function hostView(dtype: DType, buffer: ArrayBuffer, size: number): TypedArray {
  return new (viewType(dtype))(buffer, 0, size);
}

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
 * output the program writes in full, else pooled memory where there is some (cleared first for an
 * output the program may not write in full), else fresh arrays (small ones from `slab` when given).
 */
export class ProgramOutputs {
  private readonly decls: { dtype: DType; size: number; bytes: number; clear: boolean }[];

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
      viewType(d.dtype);
      return {
        dtype: d.dtype,
        size: d.size,
        bytes: d.size * BYTES_PER_ELEMENT[d.dtype],
        clear: partial.has(id),
      };
    });
  }

  take(reuse?: readonly (DeviceBuffer | undefined)[]): HostBuffer[] {
    return this.decls.map((d, o) => {
      // Donated memory is written in place: never for a partially written output (it would need clearing).
      const donated = d.clear ? undefined : reusedHostOutput(reuse, o, d, this.backend);
      if (donated) return donated;
      const reused = this.pool.take(d.bytes);
      if (reused) {
        const view = hostView(d.dtype, reused, d.size);
        if (d.clear) view.fill(0);
        return new HostBuffer(this.backend, d.dtype, view);
      }
      this.onAllocate({ purpose: 'output', bytes: d.bytes });
      const fresh =
        this.slab && d.bytes <= HostSlab.MAX_BYTES
          ? this.slab.take(d.dtype, d.size, d.bytes)
          : new (viewType(d.dtype))(d.size);
      return new HostBuffer(this.backend, d.dtype, fresh);
    });
  }
}
