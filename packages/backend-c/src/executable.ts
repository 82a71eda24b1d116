import {
  BufferMismatchError,
  type DeviceBuffer,
  type Executable,
  HostBuffer,
  type HostMemoryPool,
  type HostSlab,
  MalformedProgramError,
  ProgramOutputs,
  programStorage,
  type RunInputCheck,
  runInputCheck,
} from '@paradox/backend';
import type { KernelProgram } from '@paradox/ir';
import type { EntryPoint } from './library.js';
import { wideEntry } from './render/program.js';

/**
 * A compiled program: one call of its entry point per run, with one pointer per program buffer.
 * Inputs are the caller's arrays and outputs fresh (or pooled) arrays, passed without copies;
 * temporaries and constants are the SDK's program storage (one ArrayBuffer per memory-plan slot,
 * allocated once; the program's own constant arrays). A warm run checks its inputs against
 * what was prepared at compile time and makes no array but its outputs' list.
 */
export class CExecutable implements Executable {
  /** The entry point's arguments: the thread count, then one array per program buffer. */
  private readonly argv: unknown[];
  /** Where the buffers' arrays go: argv itself, or (a wide entry: one pointer array) argv[1]. */
  private readonly slots: unknown[];
  /** slots positions of the program's inputs and outputs. */
  private readonly inputPositions: Int32Array;
  private readonly outputPositions: Int32Array;
  private readonly outputs: ProgramOutputs;
  private readonly checkInputs: RunInputCheck;
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
    const wide = wideEntry(program.buffers.length);
    const at = (id: number, what: string): number => {
      const p = position.get(id);
      if (p === undefined) throw new MalformedProgramError(`${what} names unknown buffer ${id}`, 'program');
      return wide ? p : p + 1;
    };
    this.inputPositions = Int32Array.from(program.inputs, (id) => at(id, 'an input'));
    this.outputPositions = Int32Array.from(program.outputs, (id) => at(id, 'an output'));
    const storage = programStorage(program);
    const arrays = program.buffers.map((b) => storage.get(b.id) ?? null);
    this.argv = wide ? [1, arrays] : [1, ...arrays];
    this.slots = wide ? arrays : this.argv;
    this.outputs = new ProgramOutputs(program, backend, pool, undefined, slab);
    this.checkInputs = runInputCheck(program, backend);
  }

  run(inputs: DeviceBuffer[], reuse?: readonly (DeviceBuffer | undefined)[]): DeviceBuffer[] {
    if (this.disposed) throw new BufferMismatchError(`${this.backend}: run() on a disposed executable`);
    this.checkInputs(inputs);
    const slots = this.slots;
    const ins = this.inputPositions;
    for (let i = 0; i < ins.length; i++) slots[ins[i]!] = this.hostData(inputs[i]!);
    const outputs = this.outputs.take(reuse);
    const outs = this.outputPositions;
    for (let o = 0; o < outs.length; o++) slots[outs[o]!] = outputs[o]!.data;
    this.argv[0] = this.threads();
    try {
      Reflect.apply(this.entry, undefined, this.argv);
    } finally {
      // Do not keep the caller's arrays alive between runs.
      for (let i = 0; i < ins.length; i++) slots[ins[i]!] = null;
      for (let o = 0; o < outs.length; o++) slots[outs[o]!] = null;
    }
    return outputs;
  }

  /** The array of a live input buffer of this backend (asHostBuffer's check, inlined for the hot path). */
  private hostData(buffer: DeviceBuffer): HostBuffer['data'] {
    if (!(buffer instanceof HostBuffer) || buffer.backend !== this.backend) {
      throw new BufferMismatchError(`buffer belongs to backend '${buffer?.backend}', not '${this.backend}'`);
    }
    if (buffer.freed) throw new BufferMismatchError(`${this.backend}: buffer used after free()`);
    return buffer.data;
  }

  dispose(): void {
    this.disposed = true;
    this.slots.fill(null);
    this.argv.fill(null);
  }
}
