import {
  asHostBuffer,
  BufferMismatchError,
  checkRunInputs,
  type DeviceBuffer,
  type Executable,
  type HostMemoryPool,
  type HostSlab,
  MalformedProgramError,
  ProgramOutputs,
  programStorage,
} from '@paradox/backend';
import type { KernelProgram } from '@paradox/ir';
import type { EntryPoint } from './library.js';

/**
 * A compiled program: one call of its entry point per run, with one pointer per program buffer.
 * Inputs are the caller's arrays and outputs fresh (or pooled) arrays, passed without copies;
 * temporaries and constants are the SDK's program storage (one ArrayBuffer per memory-plan slot,
 * allocated once; the program's own constant arrays).
 */
export class CExecutable implements Executable {
  private readonly args: (ArrayBufferView | null)[];
  private readonly inputPositions: number[];
  private readonly outputPositions: number[];
  private readonly outputs: ProgramOutputs;
  private disposed = false;

  constructor(
    readonly program: KernelProgram,
    readonly sources: string[],
    private readonly entry: EntryPoint,
    private readonly backend: string,
    private readonly threads: () => number,
    pool: HostMemoryPool,
    slab: HostSlab,
  ) {
    const position = new Map(program.buffers.map((b, i) => [b.id, i]));
    const at = (id: number, what: string): number => {
      const p = position.get(id);
      if (p === undefined) throw new MalformedProgramError(`${what} names unknown buffer ${id}`, 'program');
      return p;
    };
    this.inputPositions = program.inputs.map((id) => at(id, 'an input'));
    this.outputPositions = program.outputs.map((id) => at(id, 'an output'));
    const storage = programStorage(program);
    this.args = program.buffers.map((b) => storage.get(b.id) ?? null);
    this.outputs = new ProgramOutputs(program, backend, pool, undefined, slab);
  }

  run(inputs: DeviceBuffer[], reuse?: readonly (DeviceBuffer | undefined)[]): DeviceBuffer[] {
    if (this.disposed) throw new BufferMismatchError(`${this.backend}: run() on a disposed executable`);
    checkRunInputs(this.program, inputs, this.backend);
    const outputs = this.outputs.take(reuse);
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
