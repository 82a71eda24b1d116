import {
  asHostBuffer,
  BufferMismatchError,
  checkRunInputs,
  type DeviceBuffer,
  type Executable,
  type HostAllocationEvent,
  type HostAllocator,
  type HostMemoryPool,
  MalformedProgramError,
  ProgramOutputs,
  programStorage,
} from '@paradox/backend';
import type { KernelProgram, TypedArray } from '@paradox/ir';
import type { KernelFn } from './kernel-cache.js';

/** What the executable allocates, reported to `JsBackendOptions.onAllocate` (tests count these). */
export type AllocationEvent = HostAllocationEvent;

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
  private readonly outputs: ProgramOutputs;
  private disposed = false;

  constructor(
    readonly program: KernelProgram,
    readonly sources: string[],
    kernels: { fn: KernelFn; params: number[] }[],
    private readonly backend: string,
    allocate: HostAllocator,
    pool: HostMemoryPool,
  ) {
    const decls = new Set(program.buffers.map((b) => b.id));
    const fixed = programStorage(program, allocate);
    const inputIndex = new Map(program.inputs.map((id, i) => [id, i]));
    const outputIndex = new Map(program.outputs.map((id, i) => [id, i]));
    this.outputs = new ProgramOutputs(program, backend, pool, allocate);
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
    const outputs = this.outputs.take(reuse);
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
}
