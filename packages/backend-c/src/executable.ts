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
import { BYTES_PER_ELEMENT, type DType, type KernelProgram, type TypedArray } from '@paradox/ir';
import type { EntryPoint } from './library.js';
import type { OutputPool } from './output_pool.js';

/**
 * A compiled program: one call of its entry point per run, with one pointer per program buffer.
 * Inputs are the caller's arrays and outputs fresh (or pooled) arrays, passed without copies;
 * temporaries live in one ArrayBuffer per memory-plan slot, allocated once; constants are the
 * program's own arrays.
 */
export class CExecutable implements Executable {
  private readonly args: (ArrayBufferView | null)[];
  private readonly inputPositions: number[];
  private readonly outputPositions: number[];
  private disposed = false;

  constructor(
    readonly program: KernelProgram,
    readonly sources: string[],
    private readonly entry: EntryPoint,
    private readonly backend: string,
    private readonly threads: () => number,
    private readonly pool: OutputPool,
  ) {
    const position = new Map(program.buffers.map((b, i) => [b.id, i]));
    const at = (id: number, what: string): number => {
      const p = position.get(id);
      if (p === undefined) throw new MalformedProgramError(`${what} names unknown buffer ${id}`, 'program');
      return p;
    };
    this.inputPositions = program.inputs.map((id) => at(id, 'an input'));
    this.outputPositions = program.outputs.map((id) => at(id, 'an output'));
    this.args = fixedStorage(program);
  }

  run(inputs: DeviceBuffer[], reuse?: readonly (DeviceBuffer | undefined)[]): DeviceBuffer[] {
    if (this.disposed) throw new BufferMismatchError(`${this.backend}: run() on a disposed executable`);
    checkRunInputs(this.program, inputs, this.backend);
    const outputs = this.outputPositions.map((p, o) => {
      const decl = this.program.buffers[p]!;
      // Donated memory (the caller proved in-place writes safe) saves the allocation.
      const donated = reusedHostOutput(reuse, o, decl, this.backend);
      if (donated) return donated;
      return new HostBuffer(this.backend, decl.dtype, this.pool.take(decl.dtype, decl.size));
    });
    const args = this.args;
    this.inputPositions.forEach((p, i) => {
      args[p] = asHostBuffer(inputs[i]!, this.backend).data;
    });
    this.outputPositions.forEach((p, i) => {
      args[p] = outputs[i]!.data;
    });
    try {
      this.entry(this.threads(), ...(args as ArrayBufferView[]));
    } finally {
      // Do not keep the caller's arrays alive between runs.
      for (const p of this.inputPositions) args[p] = null;
      for (const p of this.outputPositions) args[p] = null;
    }
    return outputs;
  }

  dispose(): void {
    this.disposed = true;
    this.args.fill(null);
  }
}

const VIEW: Record<string, new (buffer: ArrayBuffer, offset: number, length: number) => TypedArray> = {
  float32: Float32Array,
  int32: Int32Array,
  bool: Uint8Array,
};

/** Arrays of temps (views into shared slots) and constants; null where a run supplies the array. */
function fixedStorage(program: KernelProgram): (ArrayBufferView | null)[] {
  const slotBytes = new Map(program.slots.map((s) => [s.id, s.bytes]));
  const slots = new Map<number, ArrayBuffer>();
  return program.buffers.map((b) => {
    const bytes = b.size * BYTES_PER_ELEMENT[b.dtype];
    if (b.kind === 'temp') {
      if (b.slot === undefined)
        return new VIEW[b.dtype]!(allocateHostMemory(bytes, `temp buffer ${b.id}`), 0, b.size);
      const planned = slotBytes.get(b.slot);
      if (planned === undefined || planned < bytes) {
        throw new MalformedProgramError(
          `temp buffer ${b.id} (${bytes} bytes) does not fit slot ${b.slot}`,
          'program',
        );
      }
      let shared = slots.get(b.slot);
      if (!shared) {
        shared = allocateHostMemory(planned, `slot ${b.slot}`);
        slots.set(b.slot, shared);
      }
      return new VIEW[b.dtype]!(shared, 0, b.size);
    }
    if (b.kind === 'const') {
      const data = b.constant === undefined ? undefined : program.constants[b.constant];
      if (!data || data.length !== b.size || !matches(data, b.dtype)) {
        throw new MalformedProgramError(
          `constant buffer ${b.id} has no ${b.dtype} x ${b.size} data`,
          'program',
        );
      }
      return data;
    }
    return null;
  });
}

function matches(data: TypedArray, dtype: DType): boolean {
  return data instanceof VIEW[dtype]!;
}
