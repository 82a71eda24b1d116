import {
  BufferMismatchError,
  type DeviceBuffer,
  type Executable,
  MalformedProgramError,
  type RunInputCheck,
  runInputCheck,
  UnsupportedDtypeError,
} from '@paradox/backend';
import {
  BYTES_PER_ELEMENT,
  type KernelProgram,
  outputsNotProvablyCovered,
  type TypedArray,
} from '@paradox/ir';
import type { BufferLocation } from '../codegen/expr-emitter.js';
import type { Dt } from '../codegen/scalar-ops.js';
import { ALIGN, type Arena } from './arena.js';
import { asWasmBuffer, memoryView, settle, WasmBuffer } from './buffers.js';
import type { ProgramRunner } from './program-runner.js';

const VIEW = { float32: Float32Array, int32: Int32Array, bool: Uint8Array } as const;
type WasmDType = keyof typeof VIEW;

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
  private readonly outputDtypes: WasmDType[];
  private readonly outputSizes: number[];
  private readonly outputBytes: number[];
  /** Per output: the program may not write it in full, so it is zeroed when allocated for a run. */
  private readonly outputPartial: boolean[];
  private readonly checkInputs: RunInputCheck;

  constructor(
    readonly program: KernelProgram,
    readonly sources: string[],
    private readonly layout: ProgramLayout,
    private readonly runner: ProgramRunner,
    private readonly arena: Arena,
    private readonly backend: string,
  ) {
    const decls = new Map(program.buffers.map((b) => [b.id, b]));
    const outputs = program.outputs.map((id) => decls.get(id)!);
    const partial = new Set(outputsNotProvablyCovered(program));
    // ProgramLayout has rejected other dtypes.
    this.outputDtypes = outputs.map((d) => d.dtype as WasmDType);
    this.outputSizes = outputs.map((d) => d.size);
    this.outputBytes = outputs.map((d) => d.size * BYTES_PER_ELEMENT[d.dtype]);
    this.outputPartial = outputs.map((d) => partial.has(d.id));
    this.checkInputs = runInputCheck(program, backend);
  }

  run(inputs: DeviceBuffer[]): DeviceBuffer[] {
    if (this.disposed) throw new BufferMismatchError(`${this.backend}: run() on a disposed executable`);
    this.checkInputs(inputs);
    const argv = this.runner.argv;
    const n = inputs.length;
    for (let i = 0; i < n; i++) argv[i] = settle(this.arena, asWasmBuffer(inputs[i]!, this.backend)).address;
    const count = this.outputSizes.length;
    const outputs: WasmBuffer[] = new Array(count);
    let made = 0;
    try {
      for (; made < count; made++) {
        const dtype = this.outputDtypes[made]!;
        const size = this.outputSizes[made]!;
        const out = new WasmBuffer(this.backend, dtype, size, this.arena.alloc(this.outputBytes[made]!));
        // Reused arena memory must not show a freed tensor's data where the program writes nothing.
        if (this.outputPartial[made]) memoryView(this.arena, dtype, out.address, size).fill(0);
        outputs[made] = out;
        argv[n + made] = out.address;
      }
      this.runner.run();
    } catch (e) {
      for (let o = 0; o < made; o++) this.arena.release(outputs[o]!.address);
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
