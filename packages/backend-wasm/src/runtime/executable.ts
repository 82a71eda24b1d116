import {
  BufferMismatchError,
  checkRunInputs,
  type DeviceBuffer,
  type Executable,
  MalformedProgramError,
  UnsupportedDtypeError,
} from '@paradox/backend';
import {
  BYTES_PER_ELEMENT,
  type DType,
  type KernelProgram,
  outputsNotProvablyCovered,
  type TypedArray,
} from '@paradox/ir';
import type { BufferLocation } from '../codegen/expr-emitter.js';
import type { Dt } from '../codegen/scalar-ops.js';
import { ALIGN, type Arena } from './arena.js';
import { allocateBuffer, asWasmBuffer, memoryView, type WasmBuffer } from './buffers.js';
import type { ProgramRunner } from './program-runner.js';

const VIEW = { float32: Float32Array, int32: Int32Array, bool: Uint8Array } as const;

const aligned = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

/**
 * Where a program's own buffers live: one region of the backend's memory holding its memory-plan
 * slots (temps sharing a slot share bytes) and its constants (copied in once). Inputs and outputs
 * are tensors' buffers elsewhere in the same memory, passed by address to each call.
 */
export class ProgramLayout {
  readonly region: number;
  readonly locations = new Map<number, BufferLocation>();

  constructor(
    readonly program: KernelProgram,
    private readonly arena: Arena,
  ) {
    let bytes = 0;
    const take = (n: number) => {
      const at = bytes;
      bytes += aligned(Math.max(n, 1));
      return at;
    };
    const slotAt = new Map<number, number>();
    for (const s of program.slots) slotAt.set(s.id, take(s.bytes));
    const relative = new Map<number, number>();
    for (const b of program.buffers) {
      if (b.dtype === 'float16') throw new UnsupportedDtypeError('float16', 'wasm', `buffer ${b.id}`);
      if (relative.has(b.id)) throw new MalformedProgramError(`buffer ${b.id} declared twice`, 'program');
      // Inputs and outputs are the caller's buffers, passed by address per call.
      if (b.kind === 'input' || b.kind === 'output') continue;
      const size = b.size * BYTES_PER_ELEMENT[b.dtype];
      const slot = b.kind === 'temp' && b.slot !== undefined ? slotAt.get(b.slot) : undefined;
      relative.set(b.id, slot ?? take(size));
    }
    this.region = arena.alloc(bytes);
    for (const b of program.buffers) {
      if (b.kind === 'input' || b.kind === 'output') continue;
      this.locations.set(b.id, { offset: this.region + relative.get(b.id)!, dtype: b.dtype as Dt });
      if (b.kind === 'const') {
        const data = b.constant === undefined ? undefined : program.constants[b.constant];
        if (!data || data.length !== b.size || !(data instanceof VIEW[b.dtype as Dt]))
          throw new MalformedProgramError(
            `constant buffer ${b.id} has no matching ${b.dtype} data`,
            'program',
          );
        this.view(b.id, b.size).set(data);
      }
    }
  }

  location = (buffer: number, where: string): BufferLocation => {
    const loc = this.locations.get(buffer);
    if (!loc) throw new MalformedProgramError(`buffer ${buffer} is not declared`, where);
    return loc;
  };

  /** A typed view of a buffer in the current memory (made per use: growth replaces the ArrayBuffer). */
  view(buffer: number, size: number): TypedArray {
    const loc = this.locations.get(buffer)!;
    return new VIEW[loc.dtype](this.arena.memory.buffer, loc.offset, size);
  }

  release(): void {
    this.arena.release(this.region);
  }
}

/** Runs a compiled program on buffers that already live in the backend's memory: no copies. */
export class WasmExecutable implements Executable {
  private disposed = false;
  private readonly outputDecls: { id: number; dtype: DType; size: number }[];
  /** Outputs the program may not write in full: zeroed when allocated for a run. */
  private readonly partialOutputs: Set<number>;
  /** Addresses of a run's inputs then outputs (reused: runs are synchronous). */
  private readonly addresses: number[] = [];

  constructor(
    readonly program: KernelProgram,
    readonly sources: string[],
    private readonly layout: ProgramLayout,
    private readonly runner: ProgramRunner,
    private readonly arena: Arena,
    private readonly backend: string,
  ) {
    const decls = new Map(program.buffers.map((b) => [b.id, b]));
    this.outputDecls = program.outputs.map((id) => decls.get(id)!);
    this.partialOutputs = new Set(outputsNotProvablyCovered(program));
  }

  run(inputs: DeviceBuffer[]): DeviceBuffer[] {
    if (this.disposed) throw new BufferMismatchError(`${this.backend}: run() on a disposed executable`);
    checkRunInputs(this.program, inputs, this.backend);
    const addresses = this.addresses;
    addresses.length = 0;
    for (const b of inputs) addresses.push(asWasmBuffer(b, this.backend).address);
    const outputs: WasmBuffer[] = [];
    try {
      for (const d of this.outputDecls) {
        const out = allocateBuffer(this.arena, this.backend, d.dtype, d.size);
        // Reused arena memory must not show a freed tensor's data where the program writes nothing.
        if (this.partialOutputs.has(d.id)) memoryView(this.arena, d.dtype, out.address, d.size).fill(0);
        outputs.push(out);
        addresses.push(out.address);
      }
      this.runner.run(addresses);
    } catch (e) {
      for (const o of outputs) this.arena.release(o.address);
      throw e;
    }
    return outputs;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.runner.dispose();
    this.layout.release();
  }
}
