import {
  allocateHostMemory,
  asHostBuffer,
  BufferMismatchError,
  checkRunInputs,
  type DeviceBuffer,
  type Executable,
  HostBuffer,
  MalformedProgramError,
  reusedHostOutput,
} from '@paradox/backend';
import {
  type BufferDecl,
  BYTES_PER_ELEMENT,
  type DType,
  type KernelProgram,
  outputsNotProvablyCovered,
  type TypedArray,
} from '@paradox/ir';
import type { BufferPool } from './buffer-pool.js';
import type { KernelFn } from './kernel-cache.js';

/** What the executable allocates, reported to `JsBackendOptions.onAllocate` (tests count these). */
export interface AllocationEvent {
  purpose: 'slot' | 'output' | 'buffer';
  bytes: number;
}

export type Allocator = (event: AllocationEvent) => void;

const VIEW = {
  float32: Float32Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

/** A kernel bound to its argument list: fixed buffers (temps, constants) are filled in at compile time. */
interface BoundKernel {
  fn: KernelFn;
  args: (TypedArray | null)[];
  /** Argument positions filled per run: [position, input index] and [position, output index]. */
  inputs: [number, number][];
  outputs: [number, number][];
}

/**
 * A compiled program. Temporaries live in the program's memory-plan slots: one ArrayBuffer per slot,
 * allocated here once and shared by every temp planned into it (typed views of the temp's dtype), so a
 * warm run allocates only its outputs.
 */
export class JsExecutable implements Executable {
  private readonly bound: BoundKernel[];
  private readonly outputDecls: BufferDecl[];
  /** Per output: recycled memory must be cleared (the program may not write every element). */
  private readonly clearReused: boolean[];
  private disposed = false;

  constructor(
    readonly program: KernelProgram,
    readonly sources: string[],
    kernels: { fn: KernelFn; params: number[] }[],
    private readonly backend: string,
    private readonly allocate: Allocator,
    private readonly pool: BufferPool,
  ) {
    const decls = new Map(program.buffers.map((b) => [b.id, b]));
    const fixed = this.fixedStorage(program, allocate);
    const inputIndex = new Map(program.inputs.map((id, i) => [id, i]));
    const outputIndex = new Map(program.outputs.map((id, i) => [id, i]));
    this.outputDecls = program.outputs.map((id) => {
      const d = decls.get(id);
      if (!d) throw new MalformedProgramError(`output names unknown buffer ${id}`, 'program');
      return d;
    });
    const partial = new Set(outputsNotProvablyCovered(program));
    this.clearReused = program.outputs.map((id) => partial.has(id));
    this.bound = kernels.map(({ fn, params }, k) => {
      const b: BoundKernel = { fn, args: [], inputs: [], outputs: [] };
      params.forEach((id, pos) => {
        if (!decls.has(id))
          throw new MalformedProgramError(`kernel ${k} uses unknown buffer ${id}`, 'program');
        const input = inputIndex.get(id);
        const output = outputIndex.get(id);
        if (input !== undefined) b.inputs.push([pos, input]);
        else if (output !== undefined) b.outputs.push([pos, output]);
        b.args.push(fixed.get(id) ?? null);
      });
      return b;
    });
  }

  run(inputs: DeviceBuffer[], reuse?: readonly (DeviceBuffer | undefined)[]): DeviceBuffer[] {
    if (this.disposed) throw new BufferMismatchError(`${this.backend}: run() on a disposed executable`);
    checkRunInputs(this.program, inputs, this.backend);
    const inputData = inputs.map((b) => asHostBuffer(b, this.backend).data);
    const outputs = this.outputDecls.map((d, o) => {
      // Donated memory is written in place: never for a partially written output (it would need clearing).
      const donated = this.clearReused[o] ? undefined : reusedHostOutput(reuse, o, d, this.backend);
      if (donated) return donated;
      const bytes = d.size * BYTES_PER_ELEMENT[d.dtype];
      // A pooled buffer holds a freed tensor's data: reused as is only when every element gets stored.
      const reused = this.pool.take(bytes);
      if (reused) {
        const view = new VIEW[jsDtype(d.dtype)](reused, 0, d.size);
        if (this.clearReused[o]) view.fill(0);
        return new HostBuffer(this.backend, d.dtype, view);
      }
      this.allocate({ purpose: 'output', bytes });
      return new HostBuffer(this.backend, d.dtype, new VIEW[jsDtype(d.dtype)](d.size));
    });
    for (const k of this.bound) {
      for (const [pos, i] of k.inputs) k.args[pos] = inputData[i]!;
      for (const [pos, o] of k.outputs) k.args[pos] = outputs[o]!.data;
      k.fn(...k.args);
      // Do not keep the caller's arrays alive between runs.
      for (const [pos] of k.inputs) k.args[pos] = null;
      for (const [pos] of k.outputs) k.args[pos] = null;
    }
    return outputs;
  }

  dispose(): void {
    this.disposed = true;
    for (const k of this.bound) k.args.fill(null);
  }

  /** Storage for temps (views into shared slots) and constants, made once. */
  private fixedStorage(program: KernelProgram, allocate: Allocator): Map<number, TypedArray> {
    const slots = new Map<number, ArrayBuffer>();
    const slotBytes = new Map(program.slots.map((s) => [s.id, s.bytes]));
    const storage = new Map<number, TypedArray>();
    for (const b of program.buffers) {
      const bytes = b.size * BYTES_PER_ELEMENT[b.dtype];
      if (b.kind === 'temp') {
        let buf: ArrayBuffer;
        if (b.slot === undefined) {
          allocate({ purpose: 'slot', bytes });
          buf = allocateHostMemory(bytes, `temp buffer ${b.id}`);
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
            allocate({ purpose: 'slot', bytes: planned });
            shared = allocateHostMemory(planned, `slot ${b.slot}`);
            slots.set(b.slot, shared);
          }
          buf = shared;
        }
        storage.set(b.id, new VIEW[jsDtype(b.dtype)](buf, 0, b.size));
      } else if (b.kind === 'const') {
        const data = b.constant === undefined ? undefined : program.constants[b.constant];
        if (!data || data.length !== b.size || !(data instanceof VIEW[jsDtype(b.dtype)])) {
          throw new MalformedProgramError(
            `constant buffer ${b.id} has no matching ${b.dtype} data`,
            'program',
          );
        }
        storage.set(b.id, data);
      }
    }
    return storage;
  }
}

/** A fresh ArrayBuffer; a size the engine refuses is a typed error naming what asked for it. */
function jsDtype(d: DType): 'float32' | 'int32' | 'bool' {
  if (d === 'float16') throw new MalformedProgramError('float16 buffers are not supported by the js backend');
  return d;
}
